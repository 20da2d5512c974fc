<?cs include:"layout.cs" ?><?cs call:page_head("Administration") ?>
<h1>Administration</h1>
<div class="cards">
  <a class="card" href="/admin/users"><span class="big"><?cs var:Counts.People ?></span> people</a>
  <a class="card" href="/admin/teams"><span class="big"><?cs var:Counts.Teams ?></span> teams</a>
  <a class="card" href="/admin/devices"><span class="big"><?cs var:Counts.Devices ?></span> devices</a>
</div>
<?cs if:Can.Admin ?>
<section class="panel" aria-labelledby="mail-h">
  <h2 id="mail-h">Outgoing mail</h2>
  <p><?cs var:Mail.Waiting ?> waiting to be sent · <?cs var:Mail.Failed ?> given up</p>
  <?cs if:Mail.LastError ?><p>Last error: <code><?cs var:Mail.LastError ?></code></p><?cs /if ?>
</section>
<p><a href="/admin/settings">Settings</a> · <a href="/admin/audit">Audit log</a></p>
<?cs /if ?>
<?cs call:page_foot() ?>
