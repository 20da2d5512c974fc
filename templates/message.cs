<?cs include:"layout.cs" ?><?cs call:page_head(Message.Title) ?>
<section class="panel form-panel">
  <h1><?cs var:Message.Title ?></h1>
  <p><?cs var:Message.Text ?></p>
  <?cs if:Message.Link ?><p><a class="button" href="<?cs var:Message.Link ?>"><?cs var:Message.LinkText ?></a></p><?cs /if ?>
</section>
<?cs call:page_foot() ?>
