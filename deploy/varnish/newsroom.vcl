# Varnish (7.x, with vmod xkey from Debian's varnish-modules) in front of the app servers.
#
# Public pages for anonymous readers are kept until a write makes them stale: the app
# names each page's cache keys in an xkey header and how long it may be kept in
# Surrogate-Control; its purge worker (manage.py purge_http_cache) sends the keys that
# writes changed as PURGE requests with an xkey-purge header. Logged-in editors, the
# admin and every non-GET request pass straight to the app; readers' cookies are
# dropped before the lookup, and nothing that sets a cookie is kept.
#
# The app servers are defined in backends.vcl, beside this file or on vcl_path (see
# backends.vcl.example): backends and a round-robin director named "app".
vcl 4.1;

import directors;
import std;
import xkey;

include "backends.vcl";

# Who may purge: the purge worker's machines. Extend for a purge worker elsewhere.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from here."));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header."));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged + " objects."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors (the session cookie) and the admin (a login page sets the CSRF cookie).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.url ~ "^/admin/") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Readers' cookies (a CSRF token from a visit to the login, analytics) change
    # nothing on a public page: dropped, so that all readers share one copy.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Only a public 200 is kept; anything else (an error, a redirect, a 404 for an
    # article that may be published in a minute, a response setting a cookie, a
    # private or preview page) goes to the app every time, as a short hit-for-miss.
    if (beresp.status != 200 || beresp.http.Set-Cookie
            || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
    }
    # A purge removes a page at once; grace only bridges a slow re-render of an
    # expired one.
    set beresp.grace = 10s;
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are the proxy's business, not the readers'.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
