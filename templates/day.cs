<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # My day: the figures come from report_days() and report_segments()
       (sql/009_reports.sql).  Elements with data-k are refreshed by
       /static/js/live.js from the page's JSON twin. ?>
<div class="report-head">
  <h1><?cs if:Person.Self == "1" ?>My day<?cs else ?><?cs var:Person.Name ?>’s day<?cs /if ?>
    <span class="sub"><?cs var:Day.date ?></span></h1>
  <nav class="day-nav" aria-label="Days">
    <a rel="prev" href="/day/<?cs var:Day.Prev ?><?cs var:Day.UserQuery ?>">← <?cs var:Day.Prev ?></a>
    <?cs if:Day.IsToday != "1" ?><a href="/day/<?cs var:Person.Today ?><?cs var:Day.UserQuery ?>">Today</a><?cs /if ?>
    <?cs if:Day.HasNext == "1" ?><a rel="next" href="/day/<?cs var:Day.Next ?><?cs var:Day.UserQuery ?>"><?cs var:Day.Next ?> →</a><?cs /if ?>
    <a href="/week/<?cs var:Day.date ?><?cs var:Day.UserQuery ?>">Week</a>
    <a href="/month/<?cs var:Day.date ?><?cs var:Day.UserQuery ?>">Month</a>
  </nav>
</div>
<?cs if:Person.Self != "1" ?>
<p class="notice">You are looking at <?cs var:Person.Name ?>’s day; <?cs var:Person.Name ?> can see that you looked.
  Times are in your zone (<?cs var:Person.ViewTz ?>)<?cs if:Person.Timezone != Person.ViewTz ?>; <?cs var:Person.Name ?> works in <?cs var:Person.Timezone ?><?cs /if ?>.</p>
<?cs /if ?>
<?cs if:Day.LagS ?>
<p class="notice">These figures come from a copy of the database that is <?cs var:Day.LagS ?> seconds behind: the latest activity may not be counted yet.</p>
<?cs /if ?>
<?cs if:Day.Hours != "24" ?>
<p class="hint">This day has <?cs var:Day.Hours ?> hours: the clocks <?cs if:Day.Hours == "23" ?>went forward<?cs else ?>went back<?cs /if ?> (<?cs var:Person.ViewTz ?>).</p>
<?cs /if ?>

<div id="live" class="cards figures"<?cs if:Day.IsToday == "1" ?> data-live="/day/<?cs var:Day.date ?>.json<?cs var:Day.UserQuery ?>"<?cs /if ?>>
  <div class="card"><span class="big" data-k="totals.text.worked"><?cs var:Day.worked ?></span>worked</div>
  <div class="card"><span class="big" data-k="totals.text.active"><?cs var:Day.active ?></span>active
    (<span data-k="totals.active_share"><?cs var:Day.n.active_share ?></span>% of tracked)</div>
  <div class="card"><span class="big" data-k="totals.text.productive"><?cs var:Day.productive ?></span>productive
    (<span data-k="totals.productive_share"><?cs var:Day.n.productive_share ?></span>% of active)</div>
  <div class="card"><span class="big" data-k="totals.text.away"><?cs var:Day.away ?></span>away from the keyboard</div>
</div>

<?cs if:Day.Empty ?>
<section class="panel empty" aria-labelledby="empty-h">
  <h2 id="empty-h">Nothing recorded on this day</h2>
  <?cs if:Day.Empty == "future" ?><p>This day is still ahead.</p>
  <?cs elif:Day.Empty == "retention" ?><p>Activity is kept for <?cs var:Day.Retention ?> days, so this day has been deleted.</p>
  <?cs elif:Day.Empty == "no_device" ?><p>No device is enrolled yet, so nothing can be recorded.
    <a href="/admin/devices">Enroll a device</a> and run <code>worktime-agent</code> on the computer.</p>
  <?cs elif:Day.Empty == "never_reported" ?><p>A device is enrolled, but its agent has never reported.
    Check that <code>worktime-agent</code> is running on it (see <a href="/admin/devices">Devices</a>).</p>
  <?cs elif:Day.Empty == "not_running" ?><p>The agent has not reported since <?cs var:Day.LastSeen ?>.
    Start <code>worktime-agent</code> again; it uploads what it kept while the server was away.</p>
  <?cs else ?><p>The agent was running, but nothing was recorded on this day (a day off?).</p><?cs /if ?>
</section>
<?cs /if ?>

<section class="panel" aria-labelledby="tl-h">
  <h2 id="tl-h">Timeline</h2>
  <svg class="timeline" viewBox="0 0 <?cs var:Day.Minutes ?> 46" preserveAspectRatio="none" role="img"
       aria-label="Activity from midnight to midnight, coloured by category; grey is away">
    <rect class="track" x="0" y="4" width="<?cs var:Day.Minutes ?>" height="24" fill="#f4f6f8"/>
    <?cs each:b = Bars ?><rect class="bar <?cs var:b.kind ?>" x="<?cs var:b.x ?>" y="<?cs if:b.kind == "away" ?>12<?cs else ?>4<?cs /if ?>" width="<?cs var:b.w ?>" height="<?cs if:b.kind == "away" ?>8<?cs else ?>24<?cs /if ?>" fill="<?cs var:b.colour ?>"><title><?cs var:b.from ?>–<?cs var:b.to ?> <?cs var:b.label ?></title></rect><?cs /each ?>
    <?cs each:t = Ticks ?><line class="tick" x1="<?cs var:t.x ?>" x2="<?cs var:t.x ?>" y1="28" y2="32" stroke="#90a4ae" vector-effect="non-scaling-stroke"/><?cs /each ?>
  </svg>
  <div class="ticks" aria-hidden="true"><?cs each:t = Ticks ?><span><?cs var:t.label ?></span><?cs /each ?></div>
</section>

<div class="grid2">
<section class="panel" aria-labelledby="wh-h">
  <h2 id="wh-h">Working hours</h2>
  <dl class="facts">
    <dt>First activity</dt><dd data-k="totals.first"><?cs if:Day.first ?><?cs var:Day.first ?><?cs else ?>–<?cs /if ?></dd>
    <dt>Last activity</dt><dd data-k="totals.last"><?cs if:Day.last ?><?cs var:Day.last ?><?cs else ?>–<?cs /if ?></dd>
    <dt>Breaks</dt><dd><span data-k="totals.break_count"><?cs var:Day.n.break_count ?></span>, <span data-k="totals.text.breaks"><?cs var:Day.breaks ?></span></dd>
    <dt>Time worked</dt><dd data-k="totals.text.worked"><?cs var:Day.worked ?></dd>
    <dt>Tracked</dt><dd data-k="totals.text.tracked"><?cs var:Day.tracked ?></dd>
  </dl>
  <p class="hint">A break is a pause of at least <?cs var:Day.GapMin ?> minutes away from the keyboard.</p>
</section>

<section class="panel" aria-labelledby="cat-h">
  <h2 id="cat-h">Categories</h2>
  <?cs if:subcount(Cats) > 0 ?>
  <table class="data compact">
    <thead><tr><th>Category</th><th class="num">Time</th><th class="num">Share</th></tr></thead>
    <tbody><?cs each:c = Cats ?>
    <tr><td><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="<?cs var:c.colour ?>"/></svg>
      <?cs var:c.name ?> <span class="prod prod-<?cs var:c.productivity ?>"><?cs var:c.productivity ?></span></td>
      <td class="num"><?cs var:c.time ?></td><td class="num"><?cs var:c.share ?>%</td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="hint">No active time.</p><?cs /if ?>
</section>
</div>

<section class="panel" aria-labelledby="hr-h">
  <h2 id="hr-h">Activity per hour</h2>
  <svg class="hours" viewBox="0 0 <?cs var:Day.HoursWidth ?> 62" preserveAspectRatio="none" role="img" aria-label="Active minutes in each hour">
    <?cs each:h = PerHour ?><rect class="hour" x="<?cs var:h.x ?>" y="<?cs var:h.y ?>" width="8" height="<?cs var:h.min ?>" fill="#2e7d61"><title><?cs var:h.label ?>:00 <?cs var:h.text ?></title></rect><?cs /each ?>
  </svg>
  <div class="ticks" aria-hidden="true"><?cs each:h = PerHour ?><span><?cs var:h.label ?></span><?cs /each ?></div>
</section>

<div class="grid2">
<section class="panel" aria-labelledby="apps-h">
  <h2 id="apps-h">Top applications</h2>
  <?cs if:subcount(Apps) > 0 ?>
  <table class="data compact"><tbody><?cs each:a = Apps ?>
    <tr><td><?cs var:a.name ?></td><td class="num"><?cs var:a.time ?></td><td class="num"><?cs var:a.share ?>%</td></tr><?cs /each ?>
  </tbody></table>
  <?cs else ?><p class="hint">None.</p><?cs /if ?>
</section>
<section class="panel" aria-labelledby="titles-h">
  <h2 id="titles-h">Top window titles</h2>
  <?cs if:subcount(Titles) > 0 ?>
  <table class="data compact"><tbody><?cs each:t = Titles ?>
    <tr><td class="title"><?cs var:t.title ?> <span class="hint"><?cs var:t.app ?></span></td><td class="num"><?cs var:t.time ?></td></tr><?cs /each ?>
  </tbody></table>
  <?cs else ?><p class="hint">None.</p><?cs /if ?>
</section>
</div>
<?cs if:Day.IsToday == "1" ?><script src="/static/js/live.js" defer></script><?cs /if ?>
<?cs call:page_foot() ?>
