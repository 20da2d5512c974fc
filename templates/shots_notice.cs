<?cs # shots_notice(): the screenshot notice, in every signed-in page while the organisation
       takes screenshots (cgi/core/shotnotice.c fills Shots.*).  Until the
       person has read it since the policy last changed it is a banner
       with "I have read this"; after that a line. ?><?cs
def:shots_schedule() ?><?cs
  if:Shots.Mode == "interval" ?>once every <?cs var:Shots.Interval ?> minutes, at a random moment<?cs
  else ?>twice a day, at random times between <?cs var:Shots.From ?>:00 and <?cs var:Shots.To ?>:00<?cs
  /if ?><?cs /def ?><?cs
def:shots_audience() ?><?cs
  if:Shots.Visibility == "managers" ?>you, the managers of your teams and the administrators<?cs
  else ?>you and the administrators<?cs /if ?><?cs /def ?><?cs
def:shots_notice() ?><?cs if:Shots.On ?><?cs
  if:Shots.Due == "1" ?>
<section class="shots-notice" role="status" aria-labelledby="shots-notice-h">
  <h2 id="shots-notice-h">Your organisation takes screenshots</h2>
  <p>While the Worktime agent runs and you are at the computer, it takes a
  screenshot of your screen <?cs call:shots_schedule() ?><?cs
  if:Shots.Blur == "1" ?>, blurred on your computer before it is saved or sent, so text
  cannot be read<?cs else ?>, <strong>not blurred</strong><?cs /if ?>. None is
  taken while you are away or the screen is locked. They can be seen by
  <?cs call:shots_audience() ?>; every look at yours by someone else is
  recorded, and you can see who looked and delete your own.</p>
  <form method="post" action="/screenshots/notice" class="inline">
    <input type="hidden" name="csrf" value="<?cs var:CSRF.Token ?>">
    <input type="hidden" name="next" value="<?cs var:Page.Path ?>">
    <button type="submit" class="small">I have read this</button>
    <a href="/screenshots">See your screenshots</a>
  </form>
</section><?cs
  else ?>
<p class="shots-line">Screenshots are on: <?cs call:shots_schedule() ?><?cs
  if:Shots.Blur == "1" ?>, blurred<?cs /if ?>, seen by <?cs call:shots_audience() ?>.
  <a href="/screenshots">Yours</a></p><?cs
  /if ?><?cs
/if ?><?cs /def ?>
