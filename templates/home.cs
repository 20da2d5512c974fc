<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<section class="hero">
  <h1>Honest numbers about your working day</h1>
  <p><?cs var:Site.Name ?> records which application is in front and when you are
  away from the keyboard, and turns it into private reports for you, your team
  manager and your administrator.</p>
  <?cs if:!User.Name ?><p><a class="button" href="/login">Sign in</a></p><?cs /if ?>
</section>
<?cs if:User.Name ?>
<section class="panel" aria-labelledby="day-h">
  <h2 id="day-h">Your day</h2>
  <p>Your reports appear here once a computer of yours sends its activity.
  <a href="/admin/devices">Enroll a device</a> to start.</p>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
