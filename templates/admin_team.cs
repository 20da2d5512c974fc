<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Team.Name) ?>
<h1><?cs var:Team.Name ?></h1>
<?cs call:form_errors() ?>
<table class="data">
  <thead><tr><th>Name</th><th>E-mail</th><th>Role in the team</th><th>Status</th><?cs if:Can.Edit ?><th></th><?cs /if ?></tr></thead>
  <tbody>
  <?cs each:m = Members ?>
    <tr><td><a href="/admin/users/<?cs var:m.id ?>"><?cs var:m.name ?></a></td><td><?cs var:m.email ?></td>
      <td><?cs var:m.role ?></td><td class="status-<?cs var:m.status ?>"><?cs var:m.status ?></td>
      <?cs if:Can.Edit ?><td class="actions">
        <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members" class="inline">
          <?cs call:csrf_field() ?>
          <input type="hidden" name="user_id" value="<?cs var:m.id ?>">
          <?cs if:m.role == "manager" ?>
          <input type="hidden" name="role" value="member"><button type="submit" class="link">Make member</button>
          <?cs else ?>
          <input type="hidden" name="role" value="manager"><button type="submit" class="link">Make manager</button>
          <?cs /if ?>
        </form>
        <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members/<?cs var:m.id ?>/delete" class="inline">
          <?cs call:csrf_field() ?><button type="submit" class="link">Remove</button>
        </form>
      </td><?cs /if ?>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="add-h">
  <h2 id="add-h">Add a person</h2>
  <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members">
    <?cs call:csrf_field() ?>
    <?cs call:field("email", "E-mail of the person", "email", "off", "They must have an account; invite them on the People page first.") ?>
    <div class="field"><label for="f-role">Role in the team</label>
      <select id="f-role" name="role"><option>member</option><option>manager</option></select></div>
    <button type="submit">Add</button>
  </form>
</section>
<section class="panel form-panel" aria-labelledby="rename-h">
  <h2 id="rename-h">Rename</h2>
  <form method="post" action="/admin/teams/<?cs var:Team.Id ?>">
    <?cs call:csrf_field() ?>
    <?cs call:field("name", "Name", "text", "off", "") ?>
    <button type="submit">Rename</button>
  </form>
  <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/delete">
    <?cs call:csrf_field() ?>
    <p class="hint">Deleting the team keeps its people and their data.</p>
    <button type="submit" class="danger">Delete the team</button>
  </form>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
