<?cs # Form macros: a labelled input with its error under it, and the hidden
       CSRF field.  Values come from Form.Value, errors from Form.Error; every
       var: is HTML-escaped, attributes included.

       Focus without script: the field whose error is shown gets autofocus,
       so after a refused post the cursor is where the mistake is.  A page
       whose form is its purpose names its first field in Form.Autofocus
       (set:Form.Autofocus = "email"); it gets autofocus only when no field
       has an error, so a page never has two.

       A choice whose options need a sentence each is a group of radio
       buttons (choice_start, radio with first = 1 for the one that takes
       the focus, field_error, </fieldset>): a select would cut the
       sentence off on a phone. ?><?cs
def:csrf_field() ?><input type="hidden" name="csrf" value="<?cs var:CSRF.Token ?>"><?cs /def ?><?cs
def:form_errors() ?><?cs if:Form.Error._ ?><p class="form-error" role="alert"><?cs var:Form.Error._ ?></p><?cs /if ?><?cs
  if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?><?cs /def ?><?cs
def:focus_attr(name) ?><?cs
  if:Form.Error[name] ?> autofocus<?cs
  elif:Form.Autofocus == name && (subcount(Form.Error) == 0 || (subcount(Form.Error) == 1 && Form.Error._)) ?> autofocus<?cs
  /if ?><?cs /def ?><?cs
def:error_attrs(name) ?><?cs
  if:Form.Error[name] ?> aria-invalid="true" aria-describedby="e-<?cs var:name ?>"<?cs /if ?><?cs
  call:focus_attr(name) ?><?cs /def ?><?cs
def:field_error(name) ?><?cs
  if:Form.Error[name] ?><p class="field-error" id="e-<?cs var:name ?>"><?cs var:Form.Error[name] ?></p><?cs /if ?><?cs /def ?><?cs
def:field(name, label, type, autocomplete, hint) ?>
<div class="field<?cs if:Form.Error[name] ?> has-error<?cs /if ?>">
  <label for="f-<?cs var:name ?>"><?cs var:label ?></label>
  <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="<?cs var:type ?>"
    autocomplete="<?cs var:autocomplete ?>"<?cs
    if:type != "password" ?> value="<?cs var:Form.Value[name] ?>"<?cs /if ?><?cs
    call:error_attrs(name) ?>>
  <?cs if:hint ?><p class="hint"><?cs var:hint ?></p><?cs /if ?>
  <?cs call:field_error(name) ?>
</div>
<?cs /def ?><?cs
def:radio(name, value, text, first) ?><label class="radio"><input type="radio" name="<?cs var:name ?>" value="<?cs var:value ?>"<?cs
  if:Form.Value[name] == value ?> checked<?cs /if ?><?cs
  if:first ?><?cs call:focus_attr(name) ?><?cs /if ?>> <span><?cs var:text ?></span></label><?cs /def ?><?cs
def:choice_start(name, legend) ?><fieldset class="choice<?cs if:Form.Error[name] ?> has-error<?cs /if ?>"<?cs
  if:Form.Error[name] ?> aria-describedby="e-<?cs var:name ?>"<?cs /if ?>>
  <legend><?cs var:legend ?></legend><?cs /def ?><?cs
def:option(name, value, text) ?><option value="<?cs var:value ?>"<?cs
  if:Form.Value[name] == value ?> selected<?cs /if ?>><?cs var:text ?></option><?cs /def ?>
