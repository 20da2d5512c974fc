<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # The teams whose page the caller may open (cgi/dash/team.c). ?>
<h1>Teams</h1>
<?cs if:!?Teams.0.id ?>
<p>You manage no team yet. An admin makes you a team’s manager on the team’s page in Admin.</p>
<?cs else ?>
<div class="table-wrap">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Team</th><th scope="col" class="num">Members</th></tr></thead>
  <tbody>
  <?cs each:t = Teams ?>
    <tr><td data-label="Team"><a href="/team/<?cs var:t.id ?>"><?cs var:t.name ?></a></td><td data-label="Members" class="num"><?cs var:t.members ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs call:page_foot() ?>
