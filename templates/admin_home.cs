<?cs include:"layout.cs" ?><?cs call:page_head("Administration") ?>
<h1>Administration</h1>
<div class="cards">
  <a class="card" href="/admin/users"><span class="big"><?cs var:Counts.People ?></span> people</a>
  <a class="card" href="/admin/teams"><span class="big"><?cs var:Counts.Teams ?></span> teams</a>
  <a class="card" href="/admin/devices"><span class="big"><?cs var:Counts.Devices ?></span> devices</a>
</div>
<?cs if:Can.Admin ?>
<p><a href="/admin/settings">Settings</a> · <a href="/admin/audit">Audit log</a></p>
<?cs /if ?>
<?cs call:page_foot() ?>
