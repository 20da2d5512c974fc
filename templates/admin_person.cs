<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Person.Name) ?>
<h1><?cs var:Person.Name ?></h1>
<?cs call:form_errors() ?>
<dl class="facts panel">
  <dt>E-mail</dt><dd><?cs var:Person.Email ?></dd>
  <dt>Role</dt><dd><?cs var:Person.Role ?></dd>
  <dt>Status</dt><dd class="status-<?cs var:Person.Status ?>"><?cs var:Person.Status ?></dd>
  <dt>Time zone</dt><dd><?cs var:Person.Timezone ?></dd>
  <dt>Since</dt><dd><?cs var:Person.Created ?></dd>
  <dt>Last signed in</dt><dd><?cs if:Person.LastSeen ?><?cs var:Person.LastSeen ?><?cs else ?>no open session<?cs /if ?></dd>
  <dt>Teams</dt><dd><?cs each:t = Person.Teams ?><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a> (<?cs var:t.role ?>)<?cs if:!last(t) ?>, <?cs /if ?><?cs /each ?></dd>
</dl>
<p><a href="/admin/devices?user=<?cs var:Person.Id ?>">Devices</a></p>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="edit-h">
  <h2 id="edit-h">Edit</h2>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>">
    <?cs call:csrf_field() ?>
    <?cs call:field("display_name", "Name", "text", "off", "") ?>
    <div class="field"><label for="f-role">Role</label>
      <select id="f-role" name="role">
        <option<?cs if:Form.Value.role == "member" ?> selected<?cs /if ?>>member</option>
        <option<?cs if:Form.Value.role == "manager" ?> selected<?cs /if ?>>manager</option>
        <option<?cs if:Form.Value.role == "admin" ?> selected<?cs /if ?>>admin</option>
      </select></div>
    <button type="submit">Save</button>
  </form>
</section>
<p class="hint">Team memberships are changed on each team's page:
<?cs each:t = Teams ?><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a><?cs if:!last(t) ?>, <?cs /if ?><?cs /each ?>.</p>
<section class="panel form-panel danger" aria-labelledby="status-h">
  <h2 id="status-h">Access</h2>
  <?cs if:Person.Status == "disabled" ?>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>/activate">
    <?cs call:csrf_field() ?><button type="submit">Reactivate</button>
  </form>
  <?cs else ?>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>/deactivate">
    <?cs call:csrf_field() ?>
    <p class="hint">Deactivated people cannot sign in; their data is kept.</p>
    <button type="submit">Deactivate</button>
  </form>
  <?cs /if ?>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>/delete">
    <?cs call:csrf_field() ?>
    <p class="hint">Deleting removes the person and everything of theirs, for good.
    Type their e-mail address to confirm.</p>
    <div class="field"><label for="f-confirm">E-mail to confirm</label>
      <input id="f-confirm" name="confirm" type="text" autocomplete="off"></div>
    <button type="submit" class="danger">Delete</button>
  </form>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
