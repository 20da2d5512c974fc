<?cs # The shared page frame.  Pages call page_head() and page_foot().
       Every var: here is HTML-escaped (Config.VarEscapeMode = html).

       The menu: one's own pages (day, week, month, task sessions,
       screenshots, data, devices; for managers and admins their team) in
       the header; managers and admins get a
       second row with the administration.  On a phone both fold into one
       <details> "Menu"; which is shown is decided by CSS (display: none
       also hides the other from screen readers), so it works without any
       script.  Sign out stays in the header at every width.
       The request id is not shown: it is in the X-Request-Id header. ?><?cs
include:"shots_notice.cs" ?><?cs
def:nav_link(href, nav, text) ?><a href="<?cs var:href ?>"<?cs
  if:Page.Nav == nav ?> aria-current="page"<?cs /if ?>><?cs var:text ?></a><?cs /def ?><?cs
def:nav_links() ?>
    <?cs call:nav_link("/", "home", "My day") ?>
    <?cs call:nav_link("/week", "week", "Week") ?>
    <?cs call:nav_link("/month", "month", "Month") ?>
    <?cs call:nav_link("/sessions", "sessions", "Sessions") ?>
    <?cs call:nav_link("/screenshots", "screenshots", "Screenshots") ?>
    <?cs if:User.Role == "manager" || User.Role == "admin" ?>
    <?cs call:nav_link("/team", "team", "Team") ?><?cs /if ?>
    <?cs call:nav_link("/me/data", "mydata", "My data") ?>
    <?cs call:nav_link("/admin/devices", "devices", "Devices") ?><?cs /def ?><?cs
def:admin_links() ?>
    <?cs call:nav_link("/admin", "admin", "Overview") ?>
    <?cs call:nav_link("/admin/users", "people", "People") ?>
    <?cs call:nav_link("/admin/teams", "teams", "Teams") ?>
    <?cs if:User.Role == "admin" ?>
    <?cs call:nav_link("/admin/categories", "categories", "Categories") ?>
    <?cs call:nav_link("/admin/settings", "settings", "Settings") ?>
    <?cs call:nav_link("/admin/audit", "audit", "Audit log") ?>
    <?cs /if ?><?cs /def ?><?cs
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
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span><?cs var:Site.Name ?></a>
  <?cs if:User.Name ?>
  <nav class="site-nav nav-wide" aria-label="Your pages"><?cs call:nav_links() ?>
  </nav>
  <details class="nav-narrow">
    <summary>Menu</summary>
    <nav class="site-nav" aria-label="Menu"><?cs call:nav_links() ?>
      <?cs if:User.Role == "manager" || User.Role == "admin" ?>
      <p class="nav-heading">Administration</p><?cs call:admin_links() ?>
      <?cs /if ?>
      <p class="nav-heading">Account</p>
      <?cs call:nav_link("/account", "account", "Your account") ?>
    </nav>
  </details>
  <div class="site-user">
    <a class="user-name" href="/account"<?cs if:Page.Nav == "account" ?> aria-current="page"<?cs /if ?>><?cs var:User.Name ?></a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="csrf" value="<?cs var:CSRF.Token ?>">
      <button type="submit" class="link">Sign out</button>
    </form>
  </div>
  <?cs else ?>
  <div class="site-user"><a href="/login">Sign in</a></div>
  <?cs /if ?>
</header>
<?cs if:User.Role == "manager" || User.Role == "admin" ?>
<nav class="site-nav admin-nav nav-wide" aria-label="Administration"><span class="admin-nav-label" aria-hidden="true">Admin</span><?cs call:admin_links() ?>
</nav>
<?cs /if ?>
<main id="main" class="site-main" tabindex="-1">
<?cs call:shots_notice() ?>
<?cs /def ?><?cs
def:page_foot() ?>
</main>
<footer class="site-footer">
  <span><?cs var:Site.Name ?>, self-hosted work-time tracking</span>
</footer>
</body>
</html>
<?cs /def ?>
