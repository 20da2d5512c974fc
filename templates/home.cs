<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<section class="hero">
  <h1>Honest numbers about your working day</h1>
  <p><?cs var:Site.Name ?> records which application is in front and when you are
  away from the keyboard, and turns it into private reports for you, your team
  manager and your administrator.</p>
</section>
<section class="panel" aria-labelledby="status-h">
  <h2 id="status-h">This installation</h2>
  <dl class="facts">
    <dt>Database</dt>
    <dd class="status-<?cs var:Status.Db ?>"><?cs var:Status.Db ?></dd>
    <?cs if:Status.Db == "ok" && Status.Schema ?>
    <dt>Schema version</dt><dd><?cs var:Status.Schema ?></dd>
    <dt>Migrations applied</dt><dd><?cs var:Status.Migrations ?></dd>
    <?cs /if ?>
  </dl>
</section>
<?cs call:page_foot() ?>
