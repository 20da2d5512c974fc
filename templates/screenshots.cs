<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Shot is the JSON twin's value (cgi/dash/screenshots.c). ?>
<div class="page-head">
  <h1><?cs if:Shot.own == "1" ?>Your screenshots<?cs else ?>Screenshots of <?cs var:Shot.person.name ?><?cs /if ?></h1>
</div>
<?cs if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?>
<section class="panel shots-policy" aria-labelledby="policy-h">
  <h2 id="policy-h" class="visually-hidden">The organisation's policy</h2>
  <?cs if:Shot.policy.mode == "off" ?>
  <p>Your organisation takes no screenshots.<?cs if:subcount(Shot.screenshots) > 0 ?> The ones below were taken while it did.<?cs /if ?></p>
  <?cs else ?>
  <p>Screenshots are taken <?cs if:Shot.policy.mode == "interval" ?>once every <?cs var:Shot.policy.interval_min ?> minutes, at a random moment<?cs
    else ?>twice a day, at random times between <?cs var:Shot.policy.from_hour ?>:00 and <?cs var:Shot.policy.to_hour ?>:00<?cs /if ?>,
    <?cs if:Shot.policy.blur == "1" ?>blurred on the computer before they are saved or sent<?cs else ?><strong>not blurred</strong><?cs /if ?>,
    and never while the person is away or the screen is locked. They can be seen by the person,
    <?cs if:Shot.policy.visibility == "managers" ?>the managers of their teams and the administrators<?cs else ?>and the administrators only<?cs /if ?>.</p>
  <?cs /if ?>
</section>
<form method="get" action="/screenshots" class="filters" aria-label="Whose screenshots, which day">
  <?cs if:subcount(Shot.people) > 1 ?>
  <label for="f-user">Person
    <select id="f-user" name="user">
      <?cs each:p = Shot.people ?><option value="<?cs var:p.id ?>"<?cs if:p.id == Shot.person.id ?> selected<?cs /if ?>><?cs var:p.name ?></option><?cs /each ?>
    </select></label>
  <?cs /if ?>
  <label for="f-date">Day <input id="f-date" type="date" name="date" value="<?cs var:Shot.date ?>"></label>
  <button type="submit" class="secondary">Show</button>
</form>
<nav class="day-nav" aria-label="Days with screenshots">
  <?cs if:Shot.prev ?><a href="/screenshots?user=<?cs var:url_escape(Shot.person.id) ?>&amp;date=<?cs var:url_escape(Shot.prev) ?>" rel="prev">&larr; <?cs var:Shot.prev ?></a><?cs else ?><span class="muted">no earlier day</span><?cs /if ?>
  <strong><?cs var:Shot.date ?></strong> <span class="muted">(<?cs var:Shot.timezone ?>)</span>
  <?cs if:Shot.next ?><a href="/screenshots?user=<?cs var:url_escape(Shot.person.id) ?>&amp;date=<?cs var:url_escape(Shot.next) ?>" rel="next"><?cs var:Shot.next ?> &rarr;</a><?cs else ?><span class="muted">no later day</span><?cs /if ?>
</nav>
<?cs if:subcount(Shot.screenshots) == 0 ?>
<p class="empty">No screenshots on <?cs var:Shot.date ?>.</p>
<?cs else ?>
<ul class="shots-grid">
<?cs each:s = Shot.screenshots ?>
  <li class="shot">
    <a href="<?cs var:s.image ?>" class="shot-link" title="Open the full screenshot">
      <img src="<?cs var:s.thumb ?>" alt="Screenshot at <?cs var:s.time ?><?cs if:s.app ?>: <?cs var:s.app ?><?cs /if ?>" loading="lazy" width="320" height="<?cs var:s.height * 320 / s.width ?>">
    </a>
    <div class="shot-meta">
      <span class="shot-time"><?cs var:s.time ?></span><?cs if:s.blurred == "1" ?> <span class="muted">blurred</span><?cs /if ?>
      <?cs if:s.category ?><span class="chip"><span class="shot-dot shot-dot-<?cs var:s.productivity ?>" aria-hidden="true"></span><?cs var:s.category ?></span><?cs /if ?>
      <?cs if:s.app ?><p class="shot-window"><strong><?cs var:s.app ?></strong><?cs if:s.title ?> — <?cs var:s.title ?><?cs /if ?></p><?cs else ?><p class="shot-window muted">window not known</p><?cs /if ?>
      <?cs if:s.deletable == "1" ?>
      <details class="confirm">
        <summary class="button danger-outline small">Delete<span class="visually-hidden"> the screenshot of <?cs var:s.time ?></span></summary>
        <div class="confirm-box">
          <p>Delete the screenshot of <?cs var:s.time ?>? It cannot be brought back.</p>
          <form method="post" action="/screenshots/<?cs var:s.id ?>/delete"><?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, delete</button></form>
        </div>
      </details>
      <?cs /if ?>
    </div>
  </li>
<?cs /each ?>
</ul>
<?cs /if ?>
<?cs if:Shot.own == "1" ?>
<section class="panel" aria-labelledby="views-h">
  <h2 id="views-h">Who looked at my screenshots</h2>
  <?cs if:subcount(Shot.viewed_by) == 0 ?>
  <p class="muted">Nobody else has looked at your screenshots in the last 90 days.</p>
  <?cs else ?>
  <div class="table-wrap" role="region" aria-labelledby="views-h" tabindex="0">
  <table class="data cards-narrow">
    <thead><tr><th scope="col">Who</th><th scope="col">Day</th><th scope="col">Screenshots</th><th scope="col">Last look</th></tr></thead>
    <tbody>
    <?cs each:w = Shot.viewed_by ?>
      <tr><td data-label="Who"><?cs var:w.name ?> <span class="muted"><?cs var:w.email ?></span></td><td data-label="Day"><?cs var:w.day ?></td><td data-label="Screenshots"><?cs var:w.screenshots ?></td><td data-label="Last look"><?cs var:w.last ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
