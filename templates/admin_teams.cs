<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Teams") ?>
<h1>Teams</h1>
<?cs call:form_errors() ?>
<table class="data">
  <thead><tr><th>Team</th><th>People</th><th>Managers</th></tr></thead>
  <tbody>
  <?cs each:t = TeamList ?>
    <tr><td><a href="/admin/teams/<?cs var:t.id ?>"><?cs var:t.name ?></a></td>
      <td><?cs var:t.members ?></td><td><?cs var:t.managers ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:Can.Edit ?>
<section class="panel form-panel" aria-labelledby="new-h">
  <h2 id="new-h">New team</h2>
  <form method="post" action="/admin/teams">
    <?cs call:csrf_field() ?>
    <?cs call:field("name", "Name", "text", "off", "") ?>
    <button type="submit">Create the team</button>
  </form>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
