<?cs include:"layout.cs" ?><?cs call:page_head("Audit log") ?>
<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="filters">
  <label>Actor <input type="search" name="actor" value="<?cs var:Form.Value.actor ?>" placeholder="e-mail"></label>
  <label>Action <input type="search" name="action" value="<?cs var:Form.Value.action ?>" placeholder="user.update"></label>
  <label>Target <select name="target_type"><option value="">any</option>
    <option<?cs if:Form.Value.target_type == "user" ?> selected<?cs /if ?>>user</option>
    <option<?cs if:Form.Value.target_type == "team" ?> selected<?cs /if ?>>team</option>
    <option<?cs if:Form.Value.target_type == "device" ?> selected<?cs /if ?>>device</option>
    <option<?cs if:Form.Value.target_type == "enrollment_code" ?> selected<?cs /if ?>>enrollment_code</option>
    <option<?cs if:Form.Value.target_type == "settings" ?> selected<?cs /if ?>>settings</option>
    <option<?cs if:Form.Value.target_type == "category" ?> selected<?cs /if ?>>category</option>
  </select></label>
  <label>From <input type="date" name="from" value="<?cs var:Form.Value.from ?>"></label>
  <label>To <input type="date" name="to" value="<?cs var:Form.Value.to ?>"></label>
  <button type="submit">Filter</button>
</form>
<p class="aside"><?cs var:Page.Total ?> entries</p>
<table class="data audit">
  <thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Before</th><th>After</th></tr></thead>
  <tbody>
  <?cs each:a = Audit ?>
    <tr><td><?cs var:a.at ?></td><td><?cs var:a.actor ?></td><td><?cs var:a.action ?></td>
      <td><?cs var:a.target_type ?> <?cs var:a.target_id ?> <?cs var:a.target_label ?></td>
      <td><code><?cs var:a.before ?></code></td><td><code><?cs var:a.after ?></code></td></tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:Page.Last > 1 ?>
<nav class="pager" aria-label="Pages"><span>page <?cs var:Page.Number ?> of <?cs var:Page.Last ?></span>
  <?cs if:Page.Number < Page.Last ?><a href="/admin/audit?actor=<?cs var:url_escape(Form.Value.actor) ?>&amp;action=<?cs var:url_escape(Form.Value.action) ?>&amp;target_type=<?cs var:url_escape(Form.Value.target_type) ?>&amp;from=<?cs var:url_escape(Form.Value.from) ?>&amp;to=<?cs var:url_escape(Form.Value.to) ?>&amp;page=<?cs var:Page.Number + 1 ?>">Older</a><?cs /if ?></nav>
<?cs /if ?>
<?cs call:page_foot() ?>
