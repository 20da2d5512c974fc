<?cs include:"layout.cs" ?><?cs call:page_head("Admin") ?>
<h1>Admin</h1>
<?cs if:Can.Admin && Start.Done < 3 ?>
<section class="panel checklist-panel" aria-labelledby="start-h">
  <h2 id="start-h">Getting started</h2>
  <p><?cs var:Start.Done ?> of 3 steps done.</p>
  <ol class="checklist">
    <li class="<?cs if:Start.Team ?>done<?cs else ?>todo<?cs /if ?>">
      <span class="check" aria-hidden="true"></span>
      <div><a href="/admin/teams#new-h">Create a team</a><?cs if:Start.Team ?> <span class="visually-hidden">(done)</span><?cs /if ?>
      <p class="hint">Teams decide which manager sees whose work.</p></div></li>
    <li class="<?cs if:Start.People ?>done<?cs else ?>todo<?cs /if ?>">
      <span class="check" aria-hidden="true"></span>
      <div><a href="/admin/invitations#invite">Invite people</a><?cs if:Start.People ?> <span class="visually-hidden">(done)</span><?cs /if ?>
      <p class="hint">Each gets an e-mail with a link to create their account.</p></div></li>
    <li class="<?cs if:Start.Device ?>done<?cs else ?>todo<?cs /if ?>">
      <span class="check" aria-hidden="true"></span>
      <div><a href="/admin/devices#code-h">Enroll a device</a><?cs if:Start.Device ?> <span class="visually-hidden">(done)</span><?cs /if ?>
      <p class="hint">Install the agent on a computer (<a href="/admin/devices#install-h">how to install the agent</a>), then enroll it with a one-time code.</p></div></li>
  </ol>
</section>
<?cs /if ?>
<div class="cards">
  <a class="card" href="/admin/users"><span class="big"><?cs var:Counts.People ?></span> <?cs if:Counts.People == 1 ?>person<?cs else ?>people<?cs /if ?></a>
  <a class="card" href="/admin/teams"><span class="big"><?cs var:Counts.Teams ?></span> <?cs if:Counts.Teams == 1 ?>team<?cs else ?>teams<?cs /if ?></a>
  <a class="card" href="/admin/devices"><span class="big"><?cs var:Counts.Devices ?></span> <?cs if:Counts.Devices == 1 ?>device<?cs else ?>devices<?cs /if ?></a>
  <a class="card" href="/admin/invitations"><span class="big"><?cs var:Counts.Invitations ?></span> <?cs if:Counts.Invitations == 1 ?>invitation<?cs else ?>invitations<?cs /if ?> waiting</a>
</div>
<?cs if:Can.Admin ?>
<?cs if:Mail.Failed > 0 ?>
<p class="form-error" role="alert"><?cs var:Mail.Failed ?> <?cs if:Mail.Failed == 1 ?>message was<?cs else ?>messages were<?cs /if ?> given up on: invitations and password links may not arrive. <a href="/admin/system">See the mail status</a>.</p>
<?cs /if ?>
<ul class="link-list">
  <li><a href="/admin/settings">Settings</a>: registration, screenshots, privacy, the working day</li>
  <li><a href="/admin/audit">Audit log</a>: who changed what, and when</li>
  <li><a href="/admin/system">This installation</a>: database, migrations and outgoing mail</li>
</ul>
<?cs /if ?>
<?cs call:page_foot() ?>
