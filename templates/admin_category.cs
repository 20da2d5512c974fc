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
  </div>
</form>
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
<?cs call:page_foot() ?>
