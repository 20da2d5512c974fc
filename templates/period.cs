<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Week and month: figures from report_days() (sql/009_reports.sql). ?>
<div class="report-head">
  <h1><?cs if:Person.Self != "1" ?><?cs var:Person.Name ?>: <?cs /if ?><?cs var:Period.Title ?>
    <span class="sub"><?cs var:Period.Start ?> – <?cs var:Period.End ?></span></h1>
  <nav class="day-nav" aria-label="Periods">
    <a rel="prev" href="/<?cs var:Period.Kind ?>/<?cs var:Period.Prev ?><?cs var:Period.UserQuery ?>">← Previous <?cs var:Period.Kind ?></a>
    <?cs if:Period.HasNext == "1" ?><a rel="next" href="/<?cs var:Period.Kind ?>/<?cs var:Period.Next ?><?cs var:Period.UserQuery ?>">Next <?cs var:Period.Kind ?> →</a><?cs /if ?>
    <?cs if:Period.Kind == "week" ?><a href="/month/<?cs var:Period.Start ?><?cs var:Period.UserQuery ?>">Month</a><?cs
    else ?><a href="/week/<?cs var:Period.Start ?><?cs var:Period.UserQuery ?>">Week</a><?cs /if ?>
    <a href="/day/<?cs var:Person.Today ?><?cs var:Period.UserQuery ?>">Today</a>
  </nav>
</div>
<?cs if:Person.Self != "1" ?>
<p class="notice">You are looking at <?cs var:Person.Name ?>’s <?cs var:Period.Kind ?>; <?cs var:Person.Name ?> can see that you looked. Days are in your zone (<?cs var:Person.ViewTz ?>).</p>
<?cs /if ?>

<div class="cards figures">
  <div class="card"><span class="big"><?cs var:Totals.worked ?></span>worked<?cs if:Period.IsCurrent == "1" ?> so far<?cs /if ?></div>
  <div class="card"><span class="big"><?cs var:Totals.active ?></span>active</div>
  <div class="card"><span class="big"><?cs var:Totals.productive_share ?>%</span>productive</div>
  <div class="card"><span class="big"><?cs var:Totals.days_worked ?></span>days with activity</div>
</div>

<section class="panel insights" aria-labelledby="in-h">
  <h2 id="in-h">Insights</h2>
  <ul><?cs each:i = Insights ?><li><?cs var:i ?></li><?cs /each ?></ul>
</section>

<section class="panel" aria-labelledby="bars-h">
  <h2 id="bars-h">Active time per day</h2>
  <svg class="weekbars" viewBox="0 -16 <?cs var:Period.Width ?> 244" preserveAspectRatio="xMidYMid meet" role="group"
       aria-label="A bar per day, stacked by category; each opens its day">
    <?cs each:gl = Grid ?><line x1="0" x2="<?cs var:Period.Width ?>" y1="<?cs var:gl.y ?>" y2="<?cs var:gl.y ?>" stroke="#e3e7eb"/><text class="grid" x="0" y="<?cs var:gl.y ?>" dy="-3" font-size="13" fill="#78909c"><?cs var:gl.label ?></text><?cs /each ?>
    <?cs each:d = Days ?><a href="/day/<?cs var:d.date ?><?cs var:Period.UserQuery ?>" aria-label="<?cs var:d.date ?>: <?cs var:d.active ?> active, <?cs var:d.worked ?> worked"><g class="day"><title><?cs var:d.date ?>: <?cs var:d.active ?> active, <?cs var:d.worked ?> worked</title>
      <rect class="dayhit" x="<?cs var:d.x ?>" y="0" width="<?cs var:d.w ?>" height="200" fill="transparent"/>
      <?cs each:s = d.segs ?><rect class="seg" x="<?cs var:d.x ?>" y="<?cs var:s.y ?>" width="<?cs var:d.w ?>" height="<?cs var:s.h ?>" fill="<?cs var:s.colour ?>"><title><?cs var:d.date ?> <?cs var:s.name ?>: <?cs var:s.time ?></title></rect><?cs /each ?>
      <text x="<?cs var:d.cx ?>" y="220" font-size="14" text-anchor="middle" fill="#546e7a"><?cs var:d.dom ?></text></g></a><?cs /each ?>
  </svg>
  <ul class="legend"><?cs each:g = Groups ?><li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="<?cs var:g.colour ?>"/></svg> <?cs var:g.name ?> <span class="hint"><?cs var:g.time ?></span></li><?cs /each ?></ul>
</section>

<section class="panel" aria-labelledby="days-h">
  <h2 id="days-h">Days</h2>
  <table class="data compact">
    <thead><tr><th>Day</th><th>First</th><th>Last</th><th class="num">Worked</th><th class="num">Active</th></tr></thead>
    <tbody><?cs each:d = Days ?>
      <tr><td><a href="/day/<?cs var:d.date ?><?cs var:Period.UserQuery ?>"><?cs var:d.date ?></a></td>
        <td><?cs var:d.first ?></td><td><?cs var:d.last ?></td><td class="num"><?cs var:d.worked ?></td><td class="num"><?cs var:d.active ?></td></tr><?cs /each ?>
    </tbody>
  </table>
</section>
<?cs call:page_foot() ?>
