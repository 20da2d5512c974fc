<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Person.Name) ?>
<div class="page-head">
  <h1><?cs var:Person.Name ?></h1>
  <a class="button secondary" href="/admin/users">All people</a>
</div>
<?cs call:form_errors() ?>
<dl class="facts panel">
  <dt>E-mail</dt><dd><?cs var:Person.Email ?></dd>
  <dt>Role</dt><dd><?cs var:Person.Role ?></dd>
  <dt>Status</dt><dd class="status-<?cs var:Person.Status ?>"><?cs var:Person.Status ?></dd>
  <dt>Time zone</dt><dd><?cs var:Person.Timezone ?></dd>
  <dt>Member since</dt><dd><?cs var:Person.Created ?></dd>
  <dt>Last signed in</dt><dd><?cs if:Person.LastSeen ?><?cs var:Person.LastSeen ?><?cs else ?>no open session<?cs /if ?></dd>
  <dt>Teams</dt><dd><?cs each:t = Person.Teams ?><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a> (<?cs var:t.role ?>)<?cs if:!last(t) ?>, <?cs /if ?><?cs /each ?><?cs if:subcount(Person.Teams) == 0 ?>none<?cs /if ?></dd>
  <dt>Devices</dt><dd><a href="/admin/devices?user=<?cs var:Person.Id ?>">See their devices</a></dd>
</dl>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="edit-h">
  <h2 id="edit-h">Name and role</h2>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("display_name", "Name", "text", "off", "") ?>
    <div class="field<?cs if:Form.Error.role ?> has-error<?cs /if ?>">
      <label for="f-role">Role</label>
      <select id="f-role" name="role"<?cs call:error_attrs("role") ?>>
        <?cs call:option("role", "member", "Member") ?>
        <?cs call:option("role", "manager", "Manager") ?>
        <?cs call:option("role", "admin", "Admin") ?>
      </select>
      <p class="hint">Which teams a manager manages is set on each team's page<?cs if:subcount(Teams) > 0 ?>:
      <?cs each:t = Teams ?><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a><?cs if:!last(t) ?>, <?cs /if ?><?cs /each ?><?cs /if ?>.</p>
      <?cs call:field_error("role") ?>
    </div>
    <button type="submit">Save the changes</button>
  </form>
</section>
<section class="panel form-panel danger" aria-labelledby="status-h">
  <h2 id="status-h">Access</h2>
  <?cs if:Person.LastAdmin ?>
  <p>This is the only active admin, so it cannot be deactivated or deleted.
  Make someone else an admin first.</p>
  <?cs elif:Person.Status == "disabled" ?>
  <p>Deactivated: they cannot sign in; their data is kept.</p>
  <form method="post" action="/admin/users/<?cs var:Person.Id ?>/activate">
    <?cs call:csrf_field() ?><button type="submit">Reactivate</button>
  </form>
  <?cs else ?>
  <details class="confirm">
    <summary class="button danger-outline">Deactivate…</summary>
    <div class="confirm-box">
      <p>Deactivate <strong><?cs var:Person.Name ?></strong>? They are signed out everywhere
      and cannot sign in until reactivated; their data is kept.</p>
      <form method="post" action="/admin/users/<?cs var:Person.Id ?>/deactivate">
        <?cs call:csrf_field() ?><button type="submit" class="danger">Yes, deactivate</button>
      </form>
    </div>
  </details>
  <?cs /if ?>
  <?cs if:!Person.LastAdmin ?>
  <details class="confirm"<?cs if:Form.Error.confirm ?> open<?cs /if ?>>
    <summary class="button danger-outline">Delete…</summary>
    <div class="confirm-box">
      <form method="post" action="/admin/users/<?cs var:Person.Id ?>/delete" novalidate>
        <?cs call:csrf_field() ?>
        <p>Deleting removes <strong><?cs var:Person.Name ?></strong> and everything of theirs
        (devices, activity, screenshots) for good. It cannot be undone.</p>
        <?cs call:field("confirm", "Type their e-mail address to confirm", "text", "off", Person.Email) ?>
        <button type="submit" class="danger">Delete for good</button>
      </form>
    </div>
  </details>
  <?cs /if ?>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
