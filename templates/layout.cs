<?cs # The shared page frame.  Pages call page_head() and page_foot().
       Every var: here is HTML-escaped (Config.VarEscapeMode = html). ?><?cs
def:page_head(title) ?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:title ?> · <?cs var:Site.Name ?></title>
<link rel="stylesheet" href="/static/css/worktime.css">
<link rel="icon" href="/static/icons/worktime.svg" type="image/svg+xml">
</head>
<body>
<header class="site-header">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span><?cs var:Site.Name ?></a>
  <nav class="site-nav" aria-label="Main">
    <a href="/"<?cs if:Page.Nav == "home" ?> aria-current="page"<?cs /if ?>>My day</a>
    <?cs if:User.Role == "manager" || User.Role == "admin" ?>
    <a href="/admin/users"<?cs if:Page.Nav == "people" ?> aria-current="page"<?cs /if ?>>People</a>
    <a href="/admin/teams"<?cs if:Page.Nav == "teams" ?> aria-current="page"<?cs /if ?>>Teams</a>
    <?cs /if ?>
    <?cs if:User.Name ?>
    <a href="/admin/devices"<?cs if:Page.Nav == "devices" ?> aria-current="page"<?cs /if ?>>Devices</a>
    <?cs /if ?>
    <?cs if:User.Role == "admin" ?>
    <a href="/admin/settings"<?cs if:Page.Nav == "settings" ?> aria-current="page"<?cs /if ?>>Settings</a>
    <a href="/admin/audit"<?cs if:Page.Nav == "audit" ?> aria-current="page"<?cs /if ?>>Audit log</a>
    <?cs /if ?>
  </nav>
  <div class="site-user">
  <?cs if:User.Name ?>
    <a href="/account"<?cs if:Page.Nav == "account" ?> aria-current="page"<?cs /if ?>><?cs var:User.Name ?></a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="csrf" value="<?cs var:CSRF.Token ?>">
      <button type="submit" class="link">Sign out</button>
    </form>
  <?cs else ?>
    <a href="/login">Sign in</a>
  <?cs /if ?>
  </div>
</header>
<main id="main" class="site-main">
<?cs /def ?><?cs
def:page_foot() ?>
</main>
<footer class="site-footer">
  <span><?cs var:Site.Name ?>, self-hosted work-time tracking</span>
  <?cs if:Request.Id ?><span class="request-id">request <?cs var:Request.Id ?></span><?cs /if ?>
</footer>
</body>
</html>
<?cs /def ?>
