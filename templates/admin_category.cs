<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs
def:pattern_field(name, label, hint) ?>
<div class="field<?cs if:Form.Error[name] ?> has-error<?cs /if ?>">
  <label for="f-<?cs var:name ?>"><?cs var:label ?></label>
  <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="text" class="pattern"
    autocomplete="off" spellcheck="false" autocapitalize="off" value="<?cs var:Form.Value[name] ?>"<?cs
    call:error_attrs(name) ?>>
  <p class="hint"><?cs var:hint ?></p>
  <?cs call:field_error(name) ?>
</div><?cs /def ?><?cs
if:Rule.New ?><?cs call:page_head("New rule") ?><?cs else ?><?cs call:page_head(Rule.name) ?><?cs /if ?>
<?cs # The editor of one rule (categories_page.c): a new one, or Rule.*.
       Saving posts to the JSON API's handlers (categories.c); a refused
       post shows this page again with the message next to the field. ?>
<div class="page-head">
  <h1><?cs if:Rule.New ?>New rule<?cs else ?><svg class="swatch big" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="<?cs var:Rule.colour ?>"/></svg> <?cs var:Rule.name ?><?cs /if ?></h1>
  <a class="button secondary" href="/admin/categories">All categories</a>
</div>
<?cs call:form_errors() ?>
<?cs if:!Rule.New ?><p class="hint">This rule names <?cs var:Rule.windows ?> stored <?cs if:Rule.windows == 1 ?>window<?cs else ?>windows<?cs /if ?>.</p><?cs /if ?>
<form method="post" action="/admin/categories<?cs if:!Rule.New ?>/<?cs var:Rule.id ?><?cs /if ?>" class="rule-form" novalidate>
  <?cs call:csrf_field() ?>
  <?cs if:!Rule.New ?><input type="hidden" name="id" value="<?cs var:Rule.id ?>"><input type="hidden" name="replace" value="1"><?cs /if ?>
  <fieldset>
    <legend>Name</legend>
    <div class="field<?cs if:Form.Error.name ?> has-error<?cs /if ?>">
      <label for="f-name">Name</label>
      <input id="f-name" name="name" type="text" autocomplete="off" value="<?cs var:Form.Value.name ?>"<?cs call:error_attrs("name") ?>>
      <p class="hint">Levels separated by &ldquo; &gt; &rdquo;, as in <code>Work &gt; Programming</code>. A parent level need not be a rule of its own.</p>
      <?cs call:field_error("name") ?>
    </div>
  </fieldset>
  <fieldset>
    <legend>What it matches</legend>
    <p class="hint">Regular expressions (PostgreSQL syntax), case does not matter. The rule matches a window when any of them matches; leave the others empty. <code>\mword\M</code> matches a whole word.</p>
    <?cs call:pattern_field("app_re", "Application", "The program, as in ^code$ or firefox|chromium.") ?>
    <?cs call:pattern_field("title_re", "Window title", "As in jira, or ^Inbox for titles that start with it.") ?>
    <?cs call:pattern_field("url_re", "URL", "Browsers only, as in github.com/myorg.") ?>
  </fieldset>
  <fieldset class="row3">
    <legend>How it is shown</legend>
    <div class="field<?cs if:Form.Error.productivity ?> has-error<?cs /if ?>">
      <label for="f-productivity">Productivity</label>
      <select id="f-productivity" name="productivity"<?cs call:error_attrs("productivity") ?>>
        <?cs call:option("productivity", "productive", "Productive") ?>
        <?cs call:option("productivity", "neutral", "Neutral") ?>
        <?cs call:option("productivity", "distracting", "Distracting") ?>
      </select>
      <?cs call:field_error("productivity") ?>
    </div>
    <?cs call:field("colour", "Colour", "color", "off", "") ?>
    <?cs call:field("priority", "Priority", "number", "off", "-1000 to 1000: wins among rules as deep as this one.") ?>
  </fieldset>
  <div class="form-buttons">
    <button type="submit"><?cs if:Rule.New ?>Save the rule<?cs else ?>Save the changes<?cs /if ?></button>
    <button type="submit" class="secondary" formaction="/admin/categories/preview" data-preview>Preview: what would it match?</button>
  </div>
</form>
<div id="preview" aria-live="polite"><?cs if:Preview.shown ?>
<section class="panel preview" aria-labelledby="preview-h">
  <h2 id="preview-h">What this rule would match</h2>
  <p class="hint">Nothing is saved yet. Windows active in the last 7 days, of everyone.</p>
  <?cs if:Preview.windows == 0 ?>
  <p class="empty">No window active in the last 7 days matches these patterns.</p>
  <?cs else ?>
  <ul class="preview-facts">
    <li><strong><?cs var:Preview.windows ?></strong> <?cs if:Preview.windows == 1 ?>window matches<?cs else ?>windows match<?cs /if ?>, <strong><?cs var:Preview.active_ms ?></strong> of active time.</li>
    <li><strong><?cs var:Preview.other_windows ?></strong> of them <?cs if:Preview.other_windows == 1 ?>is<?cs else ?>are<?cs /if ?> now in other categories (<?cs var:Preview.other_ms ?>).</li>
    <li>Saved, the rule would name <strong><?cs var:Preview.takes_windows ?></strong> of them (<?cs var:Preview.takes_ms ?>)<?cs if:Preview.takes_windows != Preview.windows ?>; the others keep a deeper rule or one of higher priority<?cs /if ?>.</li>
    <?cs if:Preview.loses_windows > 0 ?><li><strong><?cs var:Preview.loses_windows ?></strong> <?cs if:Preview.loses_windows == 1 ?>window it names now would leave it<?cs else ?>windows it names now would leave it<?cs /if ?>.</li><?cs /if ?>
  </ul>
  <div class="table-wrap" role="region" aria-label="Windows the rule would match" tabindex="0">
  <table class="data compact cards-narrow preview-rows">
    <thead><tr><th scope="col">Window</th><th scope="col" class="num">Active</th><th scope="col">Now in</th></tr></thead>
    <tbody>
    <?cs each:w = Preview.rows ?>
      <tr<?cs if:!w.takes ?> class="expired"<?cs /if ?>><td data-label="Window" class="title"><div><span class="app"><?cs var:w.app ?></span> <?cs var:w.title ?><?cs if:w.url ?> <span class="hint"><?cs var:w.url ?></span><?cs /if ?></div></td>
        <td class="num" data-label="Active"><?cs var:w.time ?></td>
        <td data-label="Now in"><div><?cs if:w.category ?><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="<?cs var:w.colour ?>"/></svg> <?cs var:w.category ?><?cs else ?><span class="muted">uncategorised</span><?cs /if ?><?cs if:!w.takes ?> <span class="hint">(keeps it)</span><?cs /if ?></div></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs if:Preview.windows > subcount(Preview.rows) ?><p class="hint">The <?cs var:subcount(Preview.rows) ?> with the most time are shown.</p><?cs /if ?>
  <?cs /if ?>
</section><?cs /if ?></div>
<?cs if:!Rule.New ?>
<section class="panel form-panel danger" aria-labelledby="delete-h">
  <h2 id="delete-h">Delete the rule</h2>
  <details class="confirm">
    <summary class="button danger-outline">Delete the rule…</summary>
    <div class="confirm-box">
      <p>Delete <strong><?cs var:Rule.name ?></strong>? Its <?cs var:Rule.windows ?> <?cs if:Rule.windows == 1 ?>window gets<?cs else ?>windows get<?cs /if ?> the next best rule's category, or none; the activity itself is kept.</p>
      <form method="post" action="/admin/categories/<?cs var:Rule.id ?>/delete">
        <?cs call:csrf_field() ?><button type="submit" class="danger">Yes, delete the rule</button>
      </form>
    </div>
  </details>
</section>
<?cs /if ?>
<script src="/static/js/categories.js" defer></script>
<?cs call:page_foot() ?>
