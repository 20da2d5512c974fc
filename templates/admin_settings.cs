<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Settings") ?>
<h1>Settings</h1>
<?cs call:form_errors() ?>
<form method="post" action="/admin/settings" class="settings" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="form" value="1">
  <fieldset>
    <legend>Registration</legend>
    <?cs call:choice_start("registration_mode", "Who can create an account") ?>
      <?cs call:radio("registration_mode", "invite", "Invited people only", "1") ?>
      <?cs call:radio("registration_mode", "open", "Anyone, after confirming their e-mail address", "") ?>
      <?cs call:radio("registration_mode", "closed", "Nobody: admins create accounts", "") ?>
      <?cs call:field_error("registration_mode") ?>
    </fieldset>
  </fieldset>

  <fieldset class="shots">
    <legend>Screenshots</legend>
    <?cs call:choice_start("screenshot_mode", "Take screenshots") ?>
      <?cs call:radio("screenshot_mode", "off", "Never", "1") ?>
      <?cs call:radio("screenshot_mode", "interval", "Every few minutes, at a random moment", "") ?>
      <?cs call:radio("screenshot_mode", "twice_daily", "Twice a day, at random times within working hours", "") ?>
      <p class="hint">The settings below apply only when screenshots are taken.</p>
      <?cs call:field_error("screenshot_mode") ?>
    </fieldset>
    <div class="when-shots when-interval">
      <?cs call:field("screenshot_interval_min", "Every how many minutes", "number", "off", "5 to 1440.") ?>
    </div>
    <div class="when-shots when-twice row2">
      <?cs call:field("screenshot_from_hour", "Between (hour)", "number", "off", "0 to 23.") ?>
      <?cs call:field("screenshot_to_hour", "and (hour)", "number", "off", "1 to 24, later than the first.") ?>
    </div>
    <div class="when-shots">
      <div class="field check">
        <label><input type="checkbox" name="screenshot_blur" value="1"<?cs if:Form.Value.screenshot_blur == "t" || Form.Value.screenshot_blur == "1" || Form.Value.screenshot_blur == "true" ?> checked<?cs /if ?>> Blur screenshots on the device</label>
        <p class="hint">Text becomes unreadable before the picture leaves the computer.</p>
      </div>
      <?cs call:choice_start("screenshot_visibility", "Who sees screenshots") ?>
        <?cs call:radio("screenshot_visibility", "managers", "The person, their managers and admins", "1") ?>
        <?cs call:radio("screenshot_visibility", "admins", "The person and admins only", "") ?>
        <?cs call:field_error("screenshot_visibility") ?>
      </fieldset>
    </div>
  </fieldset>

  <fieldset>
    <legend>Privacy</legend>
    <?cs call:field("retention_days", "Keep activity data for (days)", "number", "off", "1 to 3650. Older data is deleted every night.") ?>
    <div class="field<?cs if:Form.Error.title_exclude || Form.Error.title_exclude_text ?> has-error<?cs /if ?>">
      <label for="f-title_exclude_text">Window titles not to record</label>
      <textarea id="f-title_exclude_text" name="title_exclude_text" rows="5" spellcheck="false"<?cs
        if:Form.Error.title_exclude || Form.Error.title_exclude_text ?> aria-invalid="true" aria-describedby="e-title_exclude" autofocus<?cs /if ?>><?cs var:Form.Value.title_exclude_text ?></textarea>
      <p class="hint">One regular expression a line (PostgreSQL syntax, case does not matter); a window whose title matches one is not recorded. At most 100.</p>
      <?cs if:Form.Error.title_exclude ?><p class="field-error" id="e-title_exclude"><?cs var:Form.Error.title_exclude ?></p><?cs
      elif:Form.Error.title_exclude_text ?><p class="field-error" id="e-title_exclude"><?cs var:Form.Error.title_exclude_text ?></p><?cs /if ?>
    </div>
  </fieldset>

  <fieldset>
    <legend>Working day</legend>
    <?cs call:field("idle_timeout_s", "Away from the keyboard after (seconds)", "number", "off", "30 to 3600 seconds without mouse or keyboard.") ?>
    <?cs call:field("day_gap_min", "A pause longer than this splits the working day (minutes)", "number", "off", "1 to 240.") ?>
  </fieldset>

  <fieldset>
    <legend>Agents</legend>
    <?cs call:field("upload_interval_s", "Agents upload every (seconds)", "number", "off", "10 to 3600.") ?>
    <?cs call:field("heartbeat_interval_s", "Agents send a heartbeat every (seconds)", "number", "off", "5 to 600.") ?>
    <?cs call:field("pulsetime_s", "Heartbeats of one window merge within (seconds)", "number", "off", "At least the heartbeat interval.") ?>
  </fieldset>
  <button type="submit">Save the settings</button>
</form>
<?cs call:page_foot() ?>
