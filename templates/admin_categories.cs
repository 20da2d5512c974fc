<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Categories") ?>
<?cs # The category rules as a tree (categories_page.c): group rows for
       levels that are not rules themselves, each rule with its colour,
       productivity, patterns and what it named in the last 7 days. ?>
<div class="page-head">
  <h1>Categories</h1>
  <div class="actions">
    <a class="button" href="/admin/categories/new">New rule</a>
    <a class="button secondary" href="/admin/categories/builder">Category builder</a>
  </div>
</div>
<?cs call:form_errors() ?>
<?cs if:Notice.name ?><p class="notice" role="status">Saved <strong><?cs var:Notice.name ?></strong>: every stored window has been re-categorised; it names <?cs var:Notice.windows ?> <?cs if:Notice.windows == 1 ?>window<?cs else ?>windows<?cs /if ?> active in the last 7 days.</p><?cs /if ?>
<p class="cat-summary">Rules give each window a category: the deepest rule whose pattern matches the application, the title or the URL wins. Changing a rule re-categorises old data too.
In the last 7 days: <strong><?cs var:Week.total_time ?></strong> active, of which <strong><?cs var:Week.uncat_time ?></strong> in <?cs var:Week.uncat_windows ?> <?cs if:Week.uncat_windows == 1 ?>window<?cs else ?>windows<?cs /if ?> no rule names<?cs if:Week.uncat_windows > 0 ?> (<a href="/admin/categories/builder">name them with the builder</a>)<?cs /if ?>.</p>
<?cs if:Week.rules == 0 ?>
<p class="empty">There are no rules yet. <a href="/admin/categories/new">Make the first one</a>, or let the <a href="/admin/categories/builder">category builder</a> suggest some from what people worked on.</p>
<?cs else ?>
<div class="table-wrap" role="region" aria-label="Category rules" tabindex="0">
<table class="data cards-narrow cat-tree">
  <thead><tr><th scope="col">Category</th><th scope="col">Productivity</th><th scope="col">Matches</th><th scope="col" class="num">Last 7 days</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  <?cs each:c = Rules ?><?cs if:c.group ?>
    <tr class="cat-group"><th scope="row" class="cat-name depth-<?cs var:c.depth ?>" data-label="Category"><?cs var:c.leaf ?> <span class="hint">(group)</span></th>
      <td data-label="Productivity"></td><td data-label="Matches"><span class="muted">the rules below</span></td>
      <td class="num" data-label="Last 7 days"><?cs var:c.week_time ?></td><td></td></tr>
  <?cs else ?>
    <tr id="rule-<?cs var:c.id ?>"<?cs if:c.current ?> class="current"<?cs /if ?>>
      <th scope="row" class="cat-name depth-<?cs var:c.depth ?>" data-label="Category"><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="<?cs var:c.colour ?>"/></svg>
        <a href="/admin/categories/<?cs var:c.id ?>"><?cs var:c.leaf ?></a><?cs if:c.depth > 1 ?><span class="visually-hidden"> (<?cs var:c.name ?>)</span><?cs /if ?></th>
      <td data-label="Productivity" class="prod-<?cs var:c.productivity ?>"><?cs var:c.productivity ?></td>
      <td data-label="Matches"><div class="cat-patterns"><?cs if:c.app_re ?><span title="<?cs var:c.app_re ?>">app <code><?cs var:c.app_re ?></code></span><?cs /if ?><?cs
        if:c.title_re ?><span title="<?cs var:c.title_re ?>">title <code><?cs var:c.title_re ?></code></span><?cs /if ?><?cs
        if:c.url_re ?><span title="<?cs var:c.url_re ?>">URL <code><?cs var:c.url_re ?></code></span><?cs /if ?><?cs
        if:!c.app_re && !c.title_re && !c.url_re ?><span class="muted">nothing: a group only</span><?cs /if ?><?cs
        if:c.priority != 0 ?><span class="hint">priority <?cs var:c.priority ?></span><?cs /if ?></div></td>
      <td class="num" data-label="Last 7 days"><div><?cs var:c.week_time ?><br><span class="hint"><?cs var:c.week_windows ?> <?cs if:c.week_windows == 1 ?>window<?cs else ?>windows<?cs /if ?></span></div></td>
      <td class="actions">
        <a class="button secondary small" href="/admin/categories/<?cs var:c.id ?>">Edit<span class="visually-hidden"> <?cs var:c.name ?></span></a>
        <details class="confirm">
          <summary class="button danger-outline small">Delete<span class="visually-hidden"> <?cs var:c.name ?></span></summary>
          <div class="confirm-box">
            <p>Delete the rule <strong><?cs var:c.name ?></strong>? Its windows get the next best rule's category, or none; the activity itself is kept.</p>
            <form method="post" action="/admin/categories/<?cs var:c.id ?>/delete">
              <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, delete the rule</button>
            </form>
          </div>
        </details>
      </td>
    </tr>
  <?cs /if ?><?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs call:page_foot() ?>
