/* The account pages in a browser, in process (issue 8, newcomer point
 * 8): the time zone is picked from PostgreSQL's names and matched without
 * regard to case; times carry their zone; the sessions page names the
 * browser ("Firefox on Linux") and ends sessions one at a time. */
#include "config.h"

#include <string.h>

#include "flows.h"
#include "check.h"

#define PW	"Quartz-Harbor-Lantern-62"
#define FIREFOX	"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
#define SAFARI	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 " \
	"(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"

int
main(void)
{
	const char *email, *csrf, *sid;
	struct ip_jar *fx, *ios;
	struct ip_resp *a;

	if (ip_init("account-pages") != 0)
		return 0;
	email = ip_strf("pages-%s@example.test", ip_tag());
	make_user(email, "Page Person", PW, "member");
	fx = ip_browser("fx");
	fx->ua = FIREFOX;
	ios = ip_browser("ios");
	ios->ua = SAFARI;
	is_status(login(fx, email, PW), 303, "signed in with Firefox");
	is_status(login(ios, email, PW), 303, "... and with an iPhone");

	a = IP(AUTH, .path = "/account", .jar = fx);
	is_status(a, 200, "the account page");
	like(a->body, "<input id=\"f-timezone\" name=\"timezone\" type=\"text\" list=\"zones\"",
	    "the time zone field offers a list");
	like(a->body, "<option value=\"Europe/Berlin\"></option>", "... of PostgreSQL's zone names");
	like(a->body, "<option value=\"America/New_York\"></option>", "... from every region");
	unlike(a->body, "value=\"posix/", "... without the duplicate posix/ names");
	unlike(a->body, "<script", "... and without script");
	csrf = ip_csrf(a);
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = fx, .csrf = csrf,
	    .form = "display_name=Page+Person&timezone=america%2Fnew_york&target_pace_min=30");
	is_status(a, 303, "a zone typed in lower case is accepted");
	is_str(ip_q("SELECT timezone FROM users WHERE email = $1", email, NULL), "America/New_York",
	    "... stored as PostgreSQL spells it");
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = fx, .csrf = csrf,
	    .form = "display_name=Page+Person&timezone=Europe%2FAtlantis&target_pace_min=30");
	is_status(a, 400, "an unknown zone: 400");
	like(field_error(a, "timezone"), "pick one from the list", "... said next to the field");
	like(a->body, "<option value=\"Europe/Berlin\"></option>", "... the list is still there");

	a = IP(AUTH, .path = "/account/sessions", .jar = fx);
	is_status(a, 200, "the sessions page");
	like(a->body, "Firefox on Linux</span> <strong>\\(this browser\\)</strong>",
	    "this browser, in words");
	like(a->body, "Safari on iOS", "the other one, in words");
	like(a->body, "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} E[SD]T", "times carry the zone (New York)");
	sid = ip_q("SELECT s.id FROM web_sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE u.email = $1 AND s.user_agent LIKE '%iPhone%'", email, NULL);
	like(a->body, ip_strf("action=\"/account/sessions/%s/revoke\"", sid), "... with a button to end it alone");
	csrf = ip_csrf(a);
	a = IP(AUTH, .method = "POST", .path = ip_strf("/account/sessions/%s/revoke", sid), .jar = fx,
	    .csrf = csrf);
	is_str(ip_strf("%d %s", a->status, ip_header(a, "Location")), "303 /account/sessions?ended_one=1",
	    "ending the iPhone's session: 303 back to the list");
	is_int(session_rows(email), 1, "... one session left");
	is_status(IP(AUTH, .path = "/account", .jar = ios), 303, "... the iPhone is signed out");
	is_status(IP(AUTH, .path = "/account", .jar = fx), 200, "... Firefox is not");
	a = IP(AUTH, .method = "POST", .path = ip_strf("/account/sessions/%s/revoke", sid), .jar = fx,
	    .csrf = csrf, .accept = "application/json");
	is_status(a, 404, "ending it again: 404");
	sid = ip_q("SELECT s.id FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
	    email, NULL);
	a = IP(AUTH, .method = "POST", .path = ip_strf("/account/sessions/%s/revoke", sid), .jar = fx,
	    .csrf = csrf);
	is_status(a, 409, "ending the session in use this way: 409");
	like(form_error(a), "sign out", "... sign out instead, says the page");
	{
		const char *other = ip_strf("other-%s@example.test", ip_tag());
		struct ip_jar *ob = ip_browser("other");

		make_user(other, "Other Person", PW, "member");
		login(ob, other, PW);
		sid = ip_q("SELECT s.id FROM web_sessions s JOIN users u ON u.id = s.user_id"
		    " WHERE u.email = $1", other, NULL);
		a = IP(AUTH, .method = "POST", .path = ip_strf("/account/sessions/%s/revoke", sid), .jar = fx,
		    .csrf = csrf, .accept = "application/json");
		is_status(a, 404, "someone else's session: 404");
		is_int(session_rows(other), 1, "... and it goes on");
	}
	clear_lockouts();
	return ip_done();
}
