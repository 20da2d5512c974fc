<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Category builder") ?>
<?cs # What no rule names yet (categories_builder.c): the words of the
       uncategorised windows' titles, their applications and the windows
       themselves, by active time; each word or application becomes a rule
       with one click (a post), or opens the editor prefilled. ?><?cs
def:quick_form(key, value, label) ?>
<form method="post" action="/admin/categories/quick" class="inline">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="<?cs var:key ?>" value="<?cs var:value ?>">
  <input type="hidden" name="from" value="<?cs var:Range.from ?>"><input type="hidden" name="to" value="<?cs var:Range.to ?>">
  <button type="submit" class="small">Make a rule<span class="visually-hidden">: <?cs var:label ?></span></button>
</form><?cs /def ?>
<div class="page-head">
  <h1>Category builder</h1>
  <a class="button secondary" href="/admin/categories">All categories</a>
</div>
<?cs call:form_errors() ?>
<?cs if:Form.Error.word ?><p class="form-error" role="alert"><?cs var:Form.Error.word ?></p><?cs /if ?>
<?cs if:Form.Error.app ?><p class="form-error" role="alert"><?cs var:Form.Error.app ?></p><?cs /if ?>
<?cs if:Form.Error.name ?><p class="form-error" role="alert"><?cs var:Form.Error.name ?></p><?cs /if ?>
<?cs if:Made.id ?><p class="notice" role="status">Made the rule <a href="/admin/categories/<?cs var:Made.id ?>"><strong><?cs var:Made.name ?></strong></a>: it names <?cs var:Made.windows ?> stored <?cs if:Made.windows == 1 ?>window<?cs else ?>windows<?cs /if ?> now. <a href="/admin/categories/<?cs var:Made.id ?>">Give it a place, a productivity and a colour</a>.</p><?cs /if ?>
<form method="get" action="/admin/categories/builder" class="filters builder-range" novalidate>
  <div class="field<?cs if:Form.Error.from ?> has-error<?cs /if ?>">
    <label for="f-from">From</label>
    <input id="f-from" name="from" type="date" value="<?cs var:Form.Value.from ?>"<?cs call:error_attrs("from") ?>>
    <?cs call:field_error("from") ?>
  </div>
  <div class="field<?cs if:Form.Error.to ?> has-error<?cs /if ?>">
    <label for="f-to">To</label>
    <input id="f-to" name="to" type="date" value="<?cs var:Form.Value.to ?>"<?cs call:error_attrs("to") ?>>
    <?cs call:field_error("to") ?>
  </div>
  <button type="submit" class="secondary">Show</button>
</form>
<p>From <?cs var:Range.from ?> to <?cs var:Range.to ?>: <strong><?cs var:Totals.uncat_time ?></strong> of <?cs var:Totals.all_time ?> active time was in <?cs var:Totals.uncat_windows ?> <?cs if:Totals.uncat_windows == 1 ?>window<?cs else ?>windows<?cs /if ?> no rule names.</p>
<?cs if:subcount(Windows) == 0 ?>
<p class="empty">Every window active in these days has a category.</p>
<?cs else ?>
<div class="builder">
<section class="panel" aria-labelledby="words-h">
  <h2 id="words-h">Words in their titles</h2>
  <p class="hint">By the time of the windows whose title has the word. A rule made from a word matches it as a whole word in window titles.</p>
  <?cs if:subcount(Words) == 0 ?><p class="muted">No words (titles of numbers or symbols only).</p><?cs else ?>
  <div class="table-wrap" role="region" aria-label="Words in the titles" tabindex="0">
  <table class="data compact cards-narrow words">
    <thead><tr><th scope="col">Word</th><th scope="col">Active</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
    <?cs each:w = Words ?>
      <tr><th scope="row" data-label="Word"><?cs var:w.word ?></th><td data-label="Active"><div><?cs var:w.time ?><br><span class="hint"><?cs var:w.windows ?> <?cs if:w.windows == 1 ?>window<?cs else ?>windows<?cs /if ?></span></div></td>
        <td class="actions"><?cs call:quick_form("word", w.word, w.word) ?>
          <a class="button secondary small" href="/admin/categories/new?name=<?cs var:url_escape(w.word) ?>&amp;title_re=<?cs var:url_escape(w.regex) ?>">Edit first<span class="visually-hidden">: <?cs var:w.word ?></span></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div><?cs /if ?>
</section>
<section class="panel" aria-labelledby="apps-h">
  <h2 id="apps-h">Applications</h2>
  <p class="hint">A rule made from an application matches that application exactly, whatever the title.</p>
  <div class="table-wrap" role="region" aria-label="Applications" tabindex="0">
  <table class="data compact cards-narrow apps">
    <thead><tr><th scope="col">Application</th><th scope="col">Active</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
    <?cs each:a = Apps ?>
      <tr><th scope="row" data-label="Application"><?cs var:a.app ?></th><td data-label="Active"><div><?cs var:a.time ?><br><span class="hint"><?cs var:a.windows ?> <?cs if:a.windows == 1 ?>window<?cs else ?>windows<?cs /if ?></span></div></td>
        <td class="actions"><?cs call:quick_form("app", a.app, a.app) ?>
          <a class="button secondary small" href="/admin/categories/new?name=<?cs var:url_escape(a.app) ?>&amp;app_re=<?cs var:url_escape(a.regex) ?>">Edit first<span class="visually-hidden">: <?cs var:a.app ?></span></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
</section>
</div>
<section class="panel" aria-labelledby="windows-h">
  <h2 id="windows-h">Uncategorised windows</h2>
  <div class="table-wrap" role="region" aria-label="Uncategorised windows" tabindex="0">
  <table class="data compact cards-narrow">
    <thead><tr><th scope="col">Application</th><th scope="col">Title</th><th scope="col" class="num">Active</th></tr></thead>
    <tbody>
    <?cs each:w = Windows ?>
      <tr><td data-label="Application"><?cs var:w.app ?></td><td data-label="Title" class="title"><div><?cs var:w.title ?><?cs if:w.url ?> <span class="hint"><?cs var:w.url ?></span><?cs /if ?></div></td><td class="num" data-label="Active"><?cs var:w.time ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs if:Totals.uncat_windows > subcount(Windows) ?><p class="hint">The <?cs var:subcount(Windows) ?> with the most time of <?cs var:Totals.uncat_windows ?>.</p><?cs /if ?>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
