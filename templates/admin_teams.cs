<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Teams") ?>
<h1>Teams</h1>
<?cs call:form_errors() ?>
<?cs if:subcount(TeamList) == 0 ?>
<p class="empty">There are no teams yet.<?cs if:Can.Edit ?> Create the first one below: a team's managers see its people's work.<?cs /if ?></p>
<?cs else ?>
<div class="table-wrap" role="region" aria-label="Teams" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Team</th><th scope="col">People</th><th scope="col">Managers</th></tr></thead>
  <tbody>
  <?cs each:t = TeamList ?>
    <tr><td data-label="Team"><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a></td>
      <td data-label="People"><?cs var:t.members ?></td><td data-label="Managers"><?cs if:t.managers ?><?cs var:t.managers ?><?cs else ?><span class="muted">none yet</span><?cs /if ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="new-h">
  <h2 id="new-h">New team</h2>
  <form method="post" action="/admin/teams" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("name", "Name", "text", "off", "For example: Design, or Support Berlin.") ?>
    <button type="submit">Create the team</button>
  </form>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
