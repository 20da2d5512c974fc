<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Invitations") ?>
<div class="page-head">
  <h1>Invitations</h1>
  <a class="button secondary" href="/admin/users">Back to people</a>
</div>
<?cs call:form_errors() ?>
<?cs if:Can.Invite ?>
<section class="panel form-panel" aria-labelledby="invite-h" id="invite">
  <h2 id="invite-h">Invite a person</h2>
  <form method="post" action="/admin/users" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("email", "E-mail", "email", "off", "They get a link to create their account: valid for 7 days, or 24 hours for an admin.") ?>
    <div class="field<?cs if:Form.Error.role ?> has-error<?cs /if ?>">
      <label for="f-role">Role</label>
      <select id="f-role" name="role"<?cs call:error_attrs("role") ?>>
        <?cs call:option("role", "member", "Member") ?>
        <?cs call:option("role", "manager", "Manager") ?>
        <?cs call:option("role", "admin", "Admin") ?>
      </select>
      <p class="hint">A member sees their own data; a manager also the teams they manage; an admin sees and changes everything.</p>
      <?cs call:field_error("role") ?>
    </div>
    <div class="field<?cs if:Form.Error.team_id ?> has-error<?cs /if ?>">
      <label for="f-team_id">Team</label>
      <select id="f-team_id" name="team_id"<?cs call:error_attrs("team_id") ?>>
        <option value="">No team yet</option>
        <?cs each:t = Teams ?><?cs call:option("team_id", t.id, t.name) ?><?cs /each ?>
      </select>
      <?cs call:field_error("team_id") ?>
    </div>
    <button type="submit">Send the invitation</button>
  </form>
</section>
<?cs /if ?>
<section aria-labelledby="pending-h">
  <h2 id="pending-h">Waiting to be accepted</h2>
  <?cs if:InviteCount == 0 ?>
  <p class="empty">No invitations are waiting.<?cs if:Can.Invite ?> Invite someone with the form above.<?cs /if ?></p>
  <?cs else ?>
  <div class="table-wrap" role="region" aria-labelledby="pending-h" tabindex="0">
  <table class="data cards-narrow">
    <thead><tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Team</th><th scope="col">Sent by</th><th scope="col">Sent</th><th scope="col">Link works until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
    <?cs each:i = Invites ?>
      <tr<?cs if:i.expired == "t" ?> class="expired"<?cs /if ?>>
        <td data-label="E-mail"><?cs var:i.email ?></td>
        <td data-label="Role"><?cs var:i.role ?></td>
        <td data-label="Team"><?cs if:i.team ?><?cs var:i.team ?><?cs else ?><span class="muted">none</span><?cs /if ?></td>
        <td data-label="Sent by"><?cs if:i.sender ?><?cs var:i.sender ?><?cs else ?><span class="muted">unknown</span><?cs /if ?></td>
        <td data-label="Sent"><?cs var:i.sent ?><?cs if:i.sent_count > 1 ?> <span class="muted">(<?cs var:i.sent_count ?> times)</span><?cs /if ?></td>
        <td data-label="Link works until"><?cs if:i.expired == "t" ?><span class="status-bad">expired <?cs var:i.expires ?></span><?cs else ?><?cs var:i.expires ?><?cs /if ?></td>
        <td class="actions">
          <form method="post" action="/admin/invitations/<?cs var:i.id ?>/resend" class="inline">
            <?cs call:csrf_field() ?><button type="submit" class="secondary small">Send again<span class="visually-hidden"> to <?cs var:i.email ?></span></button>
          </form>
          <details class="confirm">
            <summary class="button danger-outline small">Revoke<span class="visually-hidden"> the invitation to <?cs var:i.email ?></span></summary>
            <div class="confirm-box">
              <p>Revoke the invitation to <strong><?cs var:i.email ?></strong>? Its link stops working at once.</p>
              <form method="post" action="/admin/invitations/<?cs var:i.id ?>/revoke">
                <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, revoke it</button>
              </form>
            </div>
          </details>
        </td>
      </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <p class="hint">Sending again makes a new link (the old one stops working) and starts its time limit again.</p>
  <?cs /if ?>
</section>
<?cs call:page_foot() ?>
