<?cs include:"layout.cs" ?><?cs call:page_head(Error.Title) ?>
<section class="panel error-page">
  <h1><?cs var:Error.Status ?> <?cs var:Error.Title ?></h1>
  <p class="error-message"><?cs var:Error.Message ?></p>
  <?cs if:Error.Field ?><p>Field: <code><?cs var:Error.Field ?></code></p><?cs /if ?>
  <p><a href="/">Back to the start page</a></p>
</section>
<?cs call:page_foot() ?>
