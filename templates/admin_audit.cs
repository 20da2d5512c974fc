<?cs include:"layout.cs" ?><?cs call:page_head("Audit log") ?><?cs
def:action_text(a) ?><?cs
  if:a == "user.invite" ?>invited<?cs
  elif:a == "user.update" ?>changed a person<?cs
  elif:a == "user.deactivate" ?>deactivated<?cs
  elif:a == "user.activate" ?>reactivated<?cs
  elif:a == "user.delete" ?>deleted a person<?cs
  elif:a == "team.create" ?>created a team<?cs
  elif:a == "team.rename" ?>renamed a team<?cs
  elif:a == "team.delete" ?>deleted a team<?cs
  elif:a == "team.member_add" ?>added a team member<?cs
  elif:a == "team.member_role" ?>changed a team role<?cs
  elif:a == "team.member_remove" ?>removed a team member<?cs
  elif:a == "device.code_create" ?>made an enrollment code<?cs
  elif:a == "device.code_revoke" ?>revoked an enrollment code<?cs
  elif:a == "device.revoke" ?>revoked a device<?cs
  elif:a == "invite.resend" ?>sent an invitation again<?cs
  elif:a == "invite.revoke" ?>revoked an invitation<?cs
  elif:a == "settings.update" ?>changed the settings<?cs
  elif:a == "category.create" ?>created a category<?cs
  elif:a == "category.update" ?>changed a category<?cs
  elif:a == "category.delete" ?>deleted a category<?cs
  else ?><?cs var:a ?><?cs /if ?><?cs /def ?><?cs
def:target_text(t) ?><?cs
  if:t == "user" ?>Person<?cs elif:t == "team" ?>Team<?cs elif:t == "device" ?>Device<?cs
  elif:t == "enrollment_code" ?>Enrollment code<?cs elif:t == "invite" ?>Invitation<?cs
  elif:t == "settings" ?>Settings<?cs elif:t == "category" ?>Category<?cs else ?><?cs var:t ?><?cs /if ?><?cs /def ?>
<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="filters" role="search" aria-label="Audit log">
  <label>Who (e-mail) <input type="search" name="actor" value="<?cs var:Form.Value.actor ?>"></label>
  <label>Action <input type="search" name="action" value="<?cs var:Form.Value.action ?>" placeholder="user.update"></label>
  <label>On <select name="target_type"><option value="">Anything</option>
    <option value="user"<?cs if:Form.Value.target_type == "user" ?> selected<?cs /if ?>>People</option>
    <option value="team"<?cs if:Form.Value.target_type == "team" ?> selected<?cs /if ?>>Teams</option>
    <option value="device"<?cs if:Form.Value.target_type == "device" ?> selected<?cs /if ?>>Devices</option>
    <option value="enrollment_code"<?cs if:Form.Value.target_type == "enrollment_code" ?> selected<?cs /if ?>>Enrollment codes</option>
    <option value="invite"<?cs if:Form.Value.target_type == "invite" ?> selected<?cs /if ?>>Invitations</option>
    <option value="settings"<?cs if:Form.Value.target_type == "settings" ?> selected<?cs /if ?>>Settings</option>
    <option value="category"<?cs if:Form.Value.target_type == "category" ?> selected<?cs /if ?>>Categories</option>
  </select></label>
  <label>From <input type="date" name="from" value="<?cs var:Form.Value.from ?>"></label>
  <label>To <input type="date" name="to" value="<?cs var:Form.Value.to ?>"></label>
  <button type="submit" class="secondary">Filter</button>
</form>
<p class="aside"><?cs var:Page.Total ?> <?cs if:Page.Total == 1 ?>entry<?cs else ?>entries<?cs /if ?>; times in <?cs var:Page.Zone ?>.</p>
<div class="table-wrap" role="region" aria-label="Audit log entries" tabindex="0">
<table class="data audit cards-narrow">
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On</th><th scope="col">Changes</th></tr></thead>
  <tbody>
  <?cs each:a = Audit ?>
    <tr><td data-label="When" class="nowrap"><?cs var:a.at ?></td>
      <td data-label="Who"><?cs if:a.actor_name ?><?cs var:a.actor_name ?><?cs else ?><?cs var:a.actor ?><?cs /if ?></td>
      <td data-label="What"><?cs call:action_text(a.action) ?></td>
      <td data-label="On"><?cs call:target_text(a.target_type) ?>: <?cs if:a.target_name ?><?cs var:a.target_name ?><?cs
        if:a.target_label && a.target_label != a.target_name && a.target_type == "team" ?> · <?cs var:a.target_label ?><?cs /if ?><?cs
        else ?><?cs var:a.target_label ?><?cs /if ?></td>
      <td data-label="Changes"><?cs if:subcount(a.changes) > 0 ?><ul class="changes">
        <?cs each:c = a.changes ?><li><strong><?cs var:c.field ?></strong>: <?cs
          if:c.had && c.has ?><del><?cs var:c.before ?></del> → <ins><?cs var:c.after ?></ins><?cs
          elif:c.has ?><ins><?cs var:c.after ?></ins><?cs
          else ?><del><?cs var:c.before ?></del><?cs /if ?></li><?cs /each ?>
      </ul><?cs /if ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Page.Last > 1 ?>
<nav class="pager" aria-label="Pages"><span>Page <?cs var:Page.Number ?> of <?cs var:Page.Last ?></span>
  <?cs if:Page.Number < Page.Last ?><a href="/admin/audit?actor=<?cs var:url_escape(Form.Value.actor) ?>&amp;action=<?cs var:url_escape(Form.Value.action) ?>&amp;target_type=<?cs var:url_escape(Form.Value.target_type) ?>&amp;from=<?cs var:url_escape(Form.Value.from) ?>&amp;to=<?cs var:url_escape(Form.Value.to) ?>&amp;page=<?cs var:Page.Number + 1 ?>">Older</a><?cs /if ?></nav>
<?cs /if ?>
<?cs call:page_foot() ?>
