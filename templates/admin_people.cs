<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("People") ?>
<h1>People</h1>
<?cs call:form_errors() ?>
<form method="get" action="/admin/users" class="filters">
  <label>Search <input type="search" name="q" value="<?cs var:Form.Value.q ?>" placeholder="name or e-mail"></label>
  <label>Team <select name="team"><option value="">any</option>
    <?cs each:t = Teams ?><option value="<?cs var:t.id ?>"<?cs if:t.id == Form.Value.team ?> selected<?cs /if ?>><?cs var:t.name ?></option><?cs /each ?>
  </select></label>
  <label>Role <select name="role"><option value="">any</option>
    <option<?cs if:Form.Value.role == "member" ?> selected<?cs /if ?>>member</option>
    <option<?cs if:Form.Value.role == "manager" ?> selected<?cs /if ?>>manager</option>
    <option<?cs if:Form.Value.role == "admin" ?> selected<?cs /if ?>>admin</option>
  </select></label>
  <button type="submit">Filter</button>
</form>
<p class="aside"><?cs var:Page.Total ?> <?cs if:Page.Total == 1 ?>person<?cs else ?>people<?cs /if ?></p>
<table class="data">
  <thead><tr><th>Name</th><th>E-mail</th><th>Role</th><th>Status</th><th>Teams</th></tr></thead>
  <tbody>
  <?cs each:u = Users ?>
    <tr><td><a href="/admin/users/<?cs var:u.id ?>"><?cs var:u.name ?></a></td><td><?cs var:u.email ?></td>
      <td><?cs var:u.role ?></td><td class="status-<?cs var:u.status ?>"><?cs var:u.status ?></td><td><?cs var:u.teams ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:Page.Last > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.Number > 1 ?><a href="/admin/users?q=<?cs var:url_escape(Form.Value.q) ?>&amp;team=<?cs var:url_escape(Form.Value.team) ?>&amp;role=<?cs var:url_escape(Form.Value.role) ?>&amp;page=<?cs var:Page.Number - 1 ?>">Previous</a><?cs /if ?>
  <span>page <?cs var:Page.Number ?> of <?cs var:Page.Last ?></span>
  <?cs if:Page.Number < Page.Last ?><a href="/admin/users?q=<?cs var:url_escape(Form.Value.q) ?>&amp;team=<?cs var:url_escape(Form.Value.team) ?>&amp;role=<?cs var:url_escape(Form.Value.role) ?>&amp;page=<?cs var:Page.Number + 1 ?>">Next</a><?cs /if ?>
</nav>
<?cs /if ?>
<?cs if:Can.Invite ?>
<section class="panel form-panel" aria-labelledby="invite-h">
  <h2 id="invite-h">Invite a person</h2>
  <form method="post" action="/admin/users">
    <?cs call:csrf_field() ?>
    <?cs call:field("email", "E-mail", "email", "off", "They get a link to create their account, valid for 7 days.") ?>
    <div class="field"><label for="f-role">Role</label>
      <select id="f-role" name="role"><option>member</option><option>manager</option><option>admin</option></select></div>
    <div class="field"><label for="f-team_id">Team</label>
      <select id="f-team_id" name="team_id"><option value="">none</option>
      <?cs each:t = Teams ?><option value="<?cs var:t.id ?>"><?cs var:t.name ?></option><?cs /each ?></select></div>
    <button type="submit">Send the invitation</button>
  </form>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
