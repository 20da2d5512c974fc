<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Team.Name) ?>
<div class="page-head">
  <h1><?cs var:Team.Name ?></h1>
  <a class="button secondary" href="/admin/teams">All teams</a>
</div>
<?cs call:form_errors() ?>
<?cs if:Form.Error.user_id ?><p class="form-error" role="alert"><?cs var:Form.Error.user_id ?></p><?cs /if ?>
<?cs if:subcount(Members) == 0 ?>
<p class="empty">Nobody is in this team yet.<?cs if:Can.Edit ?> Add people below.<?cs /if ?></p>
<?cs else ?>
<div class="table-wrap" role="region" aria-label="Members of <?cs var:Team.Name ?>" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role in the team</th><th scope="col">Status</th><?cs if:Can.Edit ?><th scope="col"><span class="visually-hidden">Actions</span></th><?cs /if ?></tr></thead>
  <tbody>
  <?cs each:m = Members ?>
    <tr><td data-label="Name"><a href="/admin/users/<?cs var:m.id ?>"><?cs var:m.name ?></a></td><td data-label="E-mail"><?cs var:m.email ?></td>
      <td data-label="Role in the team"><?cs var:m.role ?></td><td data-label="Status" class="status-<?cs var:m.status ?>"><?cs var:m.status ?></td>
      <?cs if:Can.Edit ?><td class="actions">
        <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members" class="inline">
          <?cs call:csrf_field() ?>
          <input type="hidden" name="user_id" value="<?cs var:m.id ?>">
          <?cs if:m.role == "manager" ?>
          <input type="hidden" name="role" value="member"><button type="submit" class="secondary small">Make member<span class="visually-hidden">: <?cs var:m.name ?></span></button>
          <?cs else ?>
          <input type="hidden" name="role" value="manager"><button type="submit" class="secondary small">Make manager<span class="visually-hidden">: <?cs var:m.name ?></span></button>
          <?cs /if ?>
        </form>
        <details class="confirm">
          <summary class="button danger-outline small">Remove<span class="visually-hidden"> <?cs var:m.name ?></span></summary>
          <div class="confirm-box">
            <p>Remove <strong><?cs var:m.name ?></strong> from <?cs var:Team.Name ?>? Their account and data are kept.</p>
            <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members/<?cs var:m.id ?>/delete">
              <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, remove</button>
            </form>
          </div>
        </details>
      </td><?cs /if ?>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="add-h">
  <h2 id="add-h">Add a person</h2>
  <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/members" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("email", "E-mail of the person", "email", "off", "They need an account: invite people on the Invitations page first.") ?>
    <div class="field<?cs if:Form.Error.role ?> has-error<?cs /if ?>">
      <label for="f-role">Role in the team</label>
      <select id="f-role" name="role"<?cs call:error_attrs("role") ?>>
        <?cs call:option("role", "member", "Member") ?>
        <?cs call:option("role", "manager", "Manager") ?>
      </select>
      <p class="hint">A manager sees the work of the team's people.</p>
      <?cs call:field_error("role") ?>
    </div>
    <button type="submit">Add to the team</button>
  </form>
</section>
<section class="panel form-panel" aria-labelledby="rename-h">
  <h2 id="rename-h">Rename</h2>
  <form method="post" action="/admin/teams/<?cs var:Team.Id ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("name", "Name", "text", "off", "") ?>
    <button type="submit">Rename the team</button>
  </form>
</section>
<section class="panel form-panel danger" aria-labelledby="delete-h">
  <h2 id="delete-h">Delete the team</h2>
  <details class="confirm">
    <summary class="button danger-outline">Delete the team…</summary>
    <div class="confirm-box">
      <p>Delete <strong><?cs var:Team.Name ?></strong>? <?cs if:Team.Size == 0 ?>Nobody is in it.<?cs
      else ?>Its <?cs var:Team.Size ?> <?cs if:Team.Size == 1 ?>person keeps their account<?cs else ?>people keep their accounts<?cs /if ?> and data,
      but its managers no longer see their work.<?cs /if ?></p>
      <form method="post" action="/admin/teams/<?cs var:Team.Id ?>/delete">
        <?cs call:csrf_field() ?><button type="submit" class="danger">Yes, delete the team</button>
      </form>
    </div>
  </details>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
