<?cs # Form macros: a labelled input with its error under it, and the hidden
       CSRF field.  Values come from Form.Value, errors from Form.Error; every
       var: is HTML-escaped, attributes included. ?><?cs
def:csrf_field() ?><input type="hidden" name="csrf" value="<?cs var:CSRF.Token ?>"><?cs /def ?><?cs
def:form_errors() ?><?cs if:Form.Error._ ?><p class="form-error" role="alert"><?cs var:Form.Error._ ?></p><?cs /if ?><?cs
  if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?><?cs /def ?><?cs
def:field(name, label, type, autocomplete, hint) ?>
<div class="field<?cs if:Form.Error[name] ?> has-error<?cs /if ?>">
  <label for="f-<?cs var:name ?>"><?cs var:label ?></label>
  <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="<?cs var:type ?>"
    autocomplete="<?cs var:autocomplete ?>"<?cs
    if:type != "password" ?> value="<?cs var:Form.Value[name] ?>"<?cs /if ?><?cs
    if:Form.Error[name] ?> aria-invalid="true" aria-describedby="e-<?cs var:name ?>"<?cs /if ?>>
  <?cs if:hint ?><p class="hint"><?cs var:hint ?></p><?cs /if ?>
  <?cs if:Form.Error[name] ?><p class="field-error" id="e-<?cs var:name ?>"><?cs var:Form.Error[name] ?></p><?cs /if ?>
</div>
<?cs /def ?>
