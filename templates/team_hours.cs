<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Working hours of a team (cgi/dash/hours.c): Hours is the page's
       JSON twin, as it is; the figures are report_days()'s. ?>
<div class="report-head">
  <h1>Working hours<?cs if:Hours.team.name ?> <span class="sub"><?cs var:Hours.team.name ?></span><?cs /if ?></h1>
  <nav class="day-nav" aria-label="Team">
    <?cs if:Hours.team.id ?><a href="/team/<?cs var:Hours.team.id ?>">Team today</a><?cs /if ?>
    <?cs if:Hours.csv ?><a href="<?cs var:Hours.csv ?>" download>CSV for payroll</a><?cs /if ?>
  </nav>
</div>
<?cs call:form_errors() ?>
<form method="get" action="/team/<?cs var:Hours.team.id ?>/hours" class="range-form hours-form" novalidate>
  <?cs call:field("from", "From", "date", "off", "") ?>
  <?cs call:field("to", "To", "date", "off", "") ?>
  <button type="submit">Show</button>
</form>
<?cs if:Hours.from ?>
<p class="hint">Time worked is first to last activity less the breaks, per day in your zone (<?cs var:Hours.timezone ?>),
  as each person’s day page shows it; a cell opens that day. Each person sees on their <em>My data</em> page that you looked.
  The CSV has a row per person per day (hours as decimal and as h:mm, first and last activity, breaks, seconds).</p>
<div class="cards figures team-counts">
  <div class="card"><span class="big"><?cs var:Hours.total.hmm ?></span>worked in all (<?cs var:Hours.total.hours ?> h)<?cs if:Hours.pending > 0 ?>, so far<?cs /if ?></div>
  <div class="card"><span class="big"><?cs var:subcount(Hours.people) ?></span>people</div>
  <div class="card"><span class="big"><?cs var:Hours.ndays ?></span>days, <?cs var:Hours.from ?> to <?cs var:Hours.to ?></div>
</div>
<?cs if:Hours.pending > 0 ?>
<p class="notice" role="status">The days of <?cs var:Hours.pending ?> of <?cs var:subcount(Hours.people) ?> people had not been opened before and are still being worked out.
  Reload this page in a minute or two to see them.</p>
<?cs /if ?>
<?cs if:subcount(Hours.people) == 0 ?>
<p>This team has no members.</p>
<?cs else ?>
<div class="table-wrap" tabindex="0" role="region" aria-label="Working hours per person and day">
<table class="data compact hours">
  <thead><tr><th scope="col">Person</th><?cs each:d = Hours.days ?><th scope="col" class="num<?cs if:d.weekend == "1" ?> weekend<?cs /if ?>"><abbr title="<?cs var:d.date ?>"><?cs var:d.weekday ?><br><?cs var:d.dom ?></abbr></th><?cs /each ?><th scope="col" class="num">Total</th></tr></thead>
  <tbody>
  <?cs each:p = Hours.people ?>
    <?cs if:p.pending ?><tr class="pending"><th scope="row"><?cs var:p.name ?></th><td colspan="<?cs var:Hours.ndays + 1 ?>">still being worked out</td></tr><?cs else ?>
    <tr><th scope="row"><?cs var:p.name ?></th><?cs each:d = p.days ?><td class="num"><?cs if:d.worked != "0" ?><a href="<?cs var:d.day ?>" title="<?cs var:d.date ?>: <?cs var:d.first ?>–<?cs var:d.last ?>, <?cs var:d.breaks ?> breaks"><?cs var:d.hmm ?></a><?cs else ?><span class="none" aria-label="none">·</span><?cs /if ?></td><?cs /each ?><td class="num total"><?cs var:p.total.hmm ?></td></tr><?cs /if ?>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs /if ?>
<?cs call:page_foot() ?>
