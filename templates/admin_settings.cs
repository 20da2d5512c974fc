<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Settings") ?>
<h1>Settings</h1>
<?cs call:form_errors() ?>
<form method="post" action="/admin/settings" class="panel form-panel">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="form" value="1">
  <div class="field"><label for="f-registration_mode">Registration</label>
    <select id="f-registration_mode" name="registration_mode">
      <option value="open"<?cs if:Form.Value.registration_mode == "open" ?> selected<?cs /if ?>>open: anyone can register</option>
      <option value="invite"<?cs if:Form.Value.registration_mode == "invite" ?> selected<?cs /if ?>>invite only</option>
      <option value="closed"<?cs if:Form.Value.registration_mode == "closed" ?> selected<?cs /if ?>>closed: admins create accounts</option>
    </select></div>
  <?cs call:field("retention_days", "Keep activity data for (days)", "number", "off", "Older data is deleted every night.") ?>
  <div class="field"><label for="f-screenshot_mode">Screenshots</label>
    <select id="f-screenshot_mode" name="screenshot_mode">
      <option value="off"<?cs if:Form.Value.screenshot_mode == "off" ?> selected<?cs /if ?>>off</option>
      <option value="interval"<?cs if:Form.Value.screenshot_mode == "interval" ?> selected<?cs /if ?>>every N minutes, at a random moment</option>
      <option value="twice_daily"<?cs if:Form.Value.screenshot_mode == "twice_daily" ?> selected<?cs /if ?>>twice a day, at random times between the hours below</option>
    </select></div>
  <?cs call:field("screenshot_interval_min", "Every N minutes", "number", "off", "") ?>
  <?cs call:field("screenshot_from_hour", "From hour", "number", "off", "") ?>
  <?cs call:field("screenshot_to_hour", "Until hour", "number", "off", "") ?>
  <div class="field"><label><input type="checkbox" name="screenshot_blur" value="1"<?cs if:Form.Value.screenshot_blur == "t" || Form.Value.screenshot_blur == "1" ?> checked<?cs /if ?>> Blur screenshots on the device</label></div>
  <div class="field"><label for="f-screenshot_visibility">Who sees screenshots</label>
    <select id="f-screenshot_visibility" name="screenshot_visibility">
      <option value="managers"<?cs if:Form.Value.screenshot_visibility == "managers" ?> selected<?cs /if ?>>the person and their managers</option>
      <option value="admins"<?cs if:Form.Value.screenshot_visibility == "admins" ?> selected<?cs /if ?>>the person and admins only</option>
    </select></div>
  <?cs call:field("idle_timeout_s", "Away from the keyboard after (seconds)", "number", "off", "") ?>
  <?cs call:field("day_gap_min", "A pause longer than this splits the working day (minutes)", "number", "off", "") ?>
  <h2>Agents</h2>
  <div class="field<?cs if:Form.Error.title_exclude || Form.Error.title_exclude_text ?> has-error<?cs /if ?>">
    <label for="f-title_exclude_text">Window titles not to record</label>
    <textarea id="f-title_exclude_text" name="title_exclude_text" rows="5" spellcheck="false"<?cs
      if:Form.Error.title_exclude || Form.Error.title_exclude_text ?> aria-invalid="true" aria-describedby="e-title_exclude"<?cs /if ?>><?cs var:Form.Value.title_exclude_text ?></textarea>
    <p class="hint">One regular expression a line (PostgreSQL syntax, case does not matter); a window whose title matches one is not recorded. At most 100.</p>
    <?cs if:Form.Error.title_exclude ?><p class="field-error" id="e-title_exclude"><?cs var:Form.Error.title_exclude ?></p><?cs
    elif:Form.Error.title_exclude_text ?><p class="field-error" id="e-title_exclude"><?cs var:Form.Error.title_exclude_text ?></p><?cs /if ?>
  </div>
  <?cs call:field("upload_interval_s", "Agents upload every (seconds)", "number", "off", "10 to 3600.") ?>
  <?cs call:field("heartbeat_interval_s", "Agents send a heartbeat every (seconds)", "number", "off", "5 to 600.") ?>
  <?cs call:field("pulsetime_s", "Heartbeats of one window merge within (seconds)", "number", "off", "At least the heartbeat interval.") ?>
  <button type="submit">Save the settings</button>
</form>
<?cs call:page_foot() ?>
