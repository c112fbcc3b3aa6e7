"""Who may do what, for every route: route → what each kind of reader gets, and why.

This is the one file a new endpoint adds itself to. Keys: API operations as "METHOD /path"
from the OpenAPI document; web routes by URL name (with namespace), or by pattern where they
have none; `*` globs a family (the admin). The readers and the cast are in cast.py, the
shapes (public, members, about_member, owner_only, private_post, expect) in expect.py, and
what the matrix checks besides the outcome (no private marker in a body it doesn't belong
to) in test_matrix.py. How to classify: docs/security.md, "The authorization matrix".

Path parameters are filled from the cast: the member is Olga (Hana for the `hidden` reader),
`post_id` is Olga's connections-only post, `invitation_id` one Olga received with a note,
`media_id`, `filter_id`, `keyword_id`, `notification_id`, `token_id` and `pk` are Olga's.
"""

from tests.security.cast import ABOUT, MESSAGE, PRIVATE_POST, png
from tests.security.expect import (
    CARD,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REFUSED,
    SIGN_IN,
    UNAUTHORIZED,
    Expect,
    about_member,
    expect,
    members,
    owner_only,
    private_post,
    public,
)

SELF = REFUSED  # acting on yourself (follow, connect, mute, report yourself): 422

API = {
    # --- The instance and apps ---------------------------------------------------------
    "GET /api/v1/instance": public("instance metadata"),
    "GET /api/v2/instance": public("instance metadata"),
    "GET /api/v1/instance/": public("instance metadata (Mastodon clients add the slash)"),
    "GET /api/v2/instance/": public("instance metadata (Mastodon clients add the slash)"),
    "GET /api/v1/custom_emojis": public("none, but clients ask before signing in"),
    "GET /api/v1/announcements": public("none, but clients ask before signing in"),
    "POST /api/v1/apps": public(
        "registering a client needs no account",
        data={"client_name": "Matrix app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"},
    ),
    "GET /api/v1/apps/verify_credentials": members("the client's own registration"),
    "POST /api/v1/accounts": expect(
        "registration takes an app token without a member; a member's token is refused",
        FORBIDDEN,
        anonymous=UNAUTHORIZED,
    ),
    # --- Accounts (S1, B1) -------------------------------------------------------------
    "GET /api/v1/accounts/verify_credentials": members("your own account"),
    "PATCH /api/v1/accounts/update_credentials": members(
        "your own account", data={"display_name": "Matrix Name"}
    ),
    "GET /api/v1/accounts/{account_id}": about_member(
        "S1: the whole profile to members, the card to anonymous readers; B1: 404 across a block",
        anonymous=CARD,
        shows=(ABOUT,),
    ),
    "GET /api/v1/accounts/lookup": about_member(
        "the same read as the account, by handle",
        data={"acct": "{handle}"},
        anonymous=CARD,
        shows=(ABOUT,),
    ),
    "GET /api/v1/accounts/relationships": members(
        "the reader's own ties; nothing of the other member's profile",
        data={"id[]": "{account_id}"},
    ),
    "GET /api/v1/accounts/{account_id}/followers": about_member(
        "S5: follow_list (only_me: empty to others); B1"
    ),
    "GET /api/v1/accounts/{account_id}/following": about_member(
        "S5: follow_list (only_me: empty to others); B1"
    ),
    "GET /api/v1/accounts/{account_id}/connections": about_member(
        "S5: the owner and, unless only_me, their connections; others are told they see "
        "only shared connections",
        second=FORBIDDEN,
        stranger=FORBIDDEN,
        hidden=FORBIDDEN,
    ),
    "GET /api/v1/accounts/{account_id}/mutual_connections": about_member("D2, cut by D4; B1"),
    "GET /api/v1/accounts/{account_id}/paths": about_member("D3, naming by may_see_connection"),
    "GET /api/v1/accounts/{account_id}/statuses": about_member(
        "P1: what the reader may see of the member's posts; anonymous readers see public ones",
        anonymous=OK,
    ),
    # --- Acting on a member (F1, N1, B1) ------------------------------------------------
    "POST /api/v1/accounts/{account_id}/follow": about_member("F1; B1", owner=SELF),
    "POST /api/v1/accounts/{account_id}/unfollow": about_member(
        "F1 (nothing to undo is no error); B1"
    ),
    "POST /api/v1/accounts/{account_id}/remove_from_followers": about_member(
        "F2 (nothing to undo is no error); B1"
    ),
    "POST /api/v1/accounts/{account_id}/connect": about_member(
        "N1: an invitation; already connected is a 409; B1",
        owner=SELF,
        connection=REFUSED,
        hidden=REFUSED,
    ),
    "POST /api/v1/accounts/{account_id}/disconnect": about_member(
        "N8 (nothing to undo is no error); B1"
    ),
    "POST /api/v1/accounts/{account_id}/block": members(
        "B1: block reaches any active member, across a block too", owner=SELF
    ),
    "POST /api/v1/accounts/{account_id}/unblock": members("B1: any active member"),
    "POST /api/v1/accounts/{account_id}/mute": about_member("mutes; B1", owner=SELF),
    "POST /api/v1/accounts/{account_id}/unmute": about_member("mutes; B1"),
    "GET /api/v1/blocks": members("your own blocks, as cards"),
    "GET /api/v1/mutes": members("your own mutes"),
    "POST /api/v1/reports": about_member(
        "B3: a member who blocked you is a 404; one you blocked may be reported (the card)",
        data={"account_id": "{account_id}", "comment": "Matrix report"},
        owner=SELF,
        blocking=OK,
    ),
    # --- Invitations (N1–N4) -----------------------------------------------------------
    "GET /api/v1/invitations": members("your own invitations"),
    "POST /api/v1/invitations/{invitation_id}/accept": owner_only("N3: the recipient's"),
    "POST /api/v1/invitations/{invitation_id}/ignore": owner_only("N3: the recipient's"),
    "POST /api/v1/invitations/{invitation_id}/dont_know": owner_only("N3: the recipient's"),
    "POST /api/v1/invitations/{invitation_id}/withdraw": owner_only(
        "N4: the sender's (Ivan's, not a reader): a 404 to everyone else", owner=NOT_FOUND
    ),
    # --- Posts (P1, P2) ----------------------------------------------------------------
    "POST /api/v1/statuses": members("P1: you post as yourself", data={"status": "Matrix hi"}),
    "GET /api/v1/statuses/{post_id}": private_post(
        "P1", anonymous=NOT_FOUND, shows=(PRIVATE_POST,)
    ),
    "PUT /api/v1/statuses/{post_id}": private_post(
        "P1: the author's; a reader who sees it is told only the author may",
        connection=FORBIDDEN,
        data={"status": "Matrix edit"},
    ),
    "DELETE /api/v1/statuses/{post_id}": private_post("P1: the author's", connection=FORBIDDEN),
    "GET /api/v1/statuses/{post_id}/source": private_post("P1: the author's text"),
    "GET /api/v1/statuses/{post_id}/history": private_post("P1", anonymous=NOT_FOUND),
    "GET /api/v1/statuses/{post_id}/context": private_post("P1", anonymous=NOT_FOUND),
    "GET /api/v1/statuses/{post_id}/favourited_by": private_post("P2", anonymous=NOT_FOUND),
    "GET /api/v1/statuses/{post_id}/reblogged_by": private_post("P2", anonymous=NOT_FOUND),
    "POST /api/v1/statuses/{post_id}/favourite": private_post("P2"),
    "POST /api/v1/statuses/{post_id}/unfavourite": private_post("P2"),
    "PUT /api/v1/statuses/{post_id}/reactions/{kind}": private_post("P2"),
    "DELETE /api/v1/statuses/{post_id}/reactions/{kind}": private_post("P2"),
    "POST /api/v1/statuses/{post_id}/reblog": private_post(
        "P2: a connections-only post can't be reposted", owner=FORBIDDEN, connection=FORBIDDEN
    ),
    "POST /api/v1/statuses/{post_id}/unreblog": private_post("P2"),
    "POST /api/v1/media": members("P1: your own upload", data={"file": png}, json=False),
    "POST /api/v2/media": members("P1: your own upload", data={"file": png}, json=False),
    "GET /api/v1/media/{media_id}": owner_only("P1: the uploader's until attached"),
    "PUT /api/v1/media/{media_id}": owner_only(
        "P1: the uploader's", data={"description": "Matrix alt"}
    ),
    # --- Timelines and tags (P3, F3) ----------------------------------------------------
    "GET /api/v1/timelines/home": members("P3: your own feed"),
    "GET /api/v1/timelines/public": public("P1: public posts, cut by the reader's blocks"),
    "GET /api/v1/timelines/tag/{tag}": public("F3: public posts, cut by the reader's blocks"),
    "GET /api/v1/tags/{name}": public("F3"),
    "POST /api/v1/tags/{name}/follow": members("F3: your own follows"),
    "POST /api/v1/tags/{name}/unfollow": members("F3: your own follows"),
    "GET /api/v1/followed_tags": members("F3: your own follows"),
    "GET /api/v1/trends": public("trending tags (the old path)"),
    "GET /api/v1/trends/tags": public("trending tags"),
    "GET /api/v1/trends/statuses": public("trending public posts, cut by blocks"),
    # --- Notifications and markers (P5) ------------------------------------------------
    "GET /api/v1/notifications": members("P5: your own inbox"),
    "GET /api/v2/notifications": members("P5: your own inbox"),
    "GET /api/v1/notifications/unread_count": members("P5: your own inbox"),
    "GET /api/v1/notifications/{notification_id}": owner_only("P5: the recipient's"),
    "POST /api/v1/notifications/{notification_id}/dismiss": owner_only("P5: the recipient's"),
    "POST /api/v1/notifications/clear": members("P5: your own inbox"),
    "GET /api/v1/markers": members("your own read markers"),
    "POST /api/v1/markers": members("your own read markers", data={"home": {"last_read_id": "1"}}),
    # --- Filters, preferences ------------------------------------------------------------
    "GET /api/v2/filters": members("your own filters"),
    "POST /api/v2/filters": members(
        "your own filters", data={"title": "Matrix", "context": ["home"]}
    ),
    "GET /api/v2/filters/{filter_id}": owner_only("the filter's owner's"),
    "PUT /api/v2/filters/{filter_id}": owner_only("the filter's owner's"),
    "DELETE /api/v2/filters/{filter_id}": owner_only("the filter's owner's"),
    "POST /api/v2/filters/{filter_id}/keywords": owner_only(
        "the filter's owner's", data={"keyword": "matrix"}
    ),
    "DELETE /api/v2/filters/keywords/{keyword_id}": owner_only("the filter's owner's"),
    "GET /api/v1/filters": members("your own filters"),
    "POST /api/v1/filters": members(
        "your own filters", data={"phrase": "matrix", "context": ["home"]}
    ),
    "DELETE /api/v1/filters/{keyword_id}": owner_only("the filter's owner's"),
    "GET /api/v1/preferences": members("your own preferences"),
    "GET /api/v1/follow_requests": members("your own (always empty: follows need no approval)"),
    # --- Messaging (M1–M6, B1): a conversation is its two members' only -------------------
    "GET /api/v1/conversations": members("M1: your own conversations"),
    "GET /api/v1/conversations/": members("M1: your own conversations (Mastodon.py's path)"),
    "POST /api/v1/conversations/{conversation_id}/read": expect(
        "Olga and Conor's conversation: theirs; anyone else is told it doesn't exist",
        NOT_FOUND,
        owner=OK,
        connection=OK,
        anonymous=UNAUTHORIZED,
    ),
    "DELETE /api/v1/conversations/{conversation_id}": expect(
        "delete-for-me, a participant's", NOT_FOUND, owner=OK, connection=OK, anonymous=UNAUTHORIZED
    ),
    "GET /api/v1/conversations/{conversation_id}/messages": expect(
        "the messages, to the two members only",
        NOT_FOUND,
        owner=OK,
        connection=OK,
        anonymous=UNAUTHORIZED,
        shows=(MESSAGE,),
    ),
    "POST /api/v1/messages": expect(
        "M1–M6 to Olga (Hana for the hidden reader): a connection freely, others by InMail; "
        "yourself refused; B1: 404 across a block, as for an unknown member",
        OK,
        data={"to": "{handle}", "text": "Matrix hello"},
        owner=SELF,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=UNAUTHORIZED,
    ),
    "POST /api/v1/messages/attachments": members(
        "M1: your own upload, yours alone until a message carries it",
        data={"file": png},
        json=False,
    ),
    "POST /api/v1/conversations/{conversation_id}/members": expect(
        "groups: a participant adds connections (Olga and Conor's is 1:1, so refused); "
        "anyone else is told it doesn't exist",
        NOT_FOUND,
        data={"account_ids": ["{account_id}"]},
        owner=REFUSED,
        connection=REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    "DELETE /api/v1/conversations/{conversation_id}/members/{account_id}": expect(
        "groups: a participant removes another (refused on a 1:1); anyone else: 404",
        NOT_FOUND,
        owner=REFUSED,
        connection=REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    "POST /api/v1/conversations/{conversation_id}/leave": expect(
        "groups: a participant leaves (refused on a 1:1); anyone else: 404",
        NOT_FOUND,
        owner=REFUSED,
        connection=REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    "GET /api/v1/messaging/preferences": members("your own read-receipt setting"),
    "PATCH /api/v1/messaging/preferences": members(
        "your own read-receipt setting", data={"read_receipts": True}
    ),
    "GET /api/v1/message_requests": members("M4: requests waiting for your answer"),
    "POST /api/v1/message_requests/{request_id}/accept": owner_only("M4: the recipient's"),
    "POST /api/v1/message_requests/{request_id}/decline": owner_only("M4: the recipient's"),
    "GET /api/v1/inmail": members("M3: your own credits"),
    "GET /api/v1/streaming/health": public("Mastodon's streaming health check"),
    "GET /api/v1/streaming/user": members("your own live events (not read: a stream never ends)"),
    "GET /api/v1/streaming/user/notification": members("your own live notifications"),
    "GET /api/v1/streaming/direct": members("your own live conversations"),
    # --- Imports and exports (issue 17: X1, X2) ----------------------------------------
    "POST /api/v1/imports": expect(
        "an upload of your own; without a file it is refused with a sentence",
        REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    "GET /api/v1/imports/{import_id}": owner_only("X1: the uploader's import"),
    "GET /api/v1/imports/{import_id}/matches": owner_only(
        "X1: the uploader's matches, as Account entities, never with an address"
    ),
    "POST /api/v1/imports/{import_id}/invite": owner_only(
        "X1: invitations only to members this import matched, picked by its uploader"
    ),
    "POST /api/v1/imports/{import_id}/apply": owner_only("the uploader's profile fields"),
    "POST /api/v1/exports": members("X2: your own export (a second one is the same)"),
    "GET /api/v1/exports/{export_id}": owner_only("X2: the export's owner's; its url too"),
    # --- Search and suggestions (S1, S5, B1, D4) ---------------------------------------
    "GET /api/v2/search": public(
        "S1: whole profiles to members, the card to anonymous readers; B1: Olga and her posts "
        "are left out of a blocked reader's results (an answer, not a 404: it is a search); "
        "P1: her connections-only post only to her and her connections",
        data={"q": "olga"},
        shows=(ABOUT, PRIVATE_POST),
    ),
    "GET /api/v1/accounts/search": public(
        "the same search as /api/v2/search", data={"q": "olga"}, shows=(ABOUT,)
    ),
    "GET /api/v2/suggestions": members(
        "your own suggestions: never across a block (D4), never through a hidden list (S5)"
    ),
    "DELETE /api/v1/suggestions/{account_id}": about_member(
        "Not now on a suggestion: B1 answers a block as an unknown member; yourself is unknown",
        owner=NOT_FOUND,
    ),
    # --- Pages (G1-G3, F3): public pages; admins' tools; page ids are accounts too -------
    "GET /api/v1/pages": public(
        "pages by name, for autocomplete: pages are public", data={"q": "olga"}
    ),
    "POST /api/v1/pages": members(
        "G1: the reader creates a page and runs it (an address made from the name)",
        data={"name": "Matrix Page", "kind": "company"},
    ),
    "GET /api/v1/pages/{page_id}": public("G1: a page is public; B1 concerns members only"),
    "PATCH /api/v1/pages/{page_id}": expect(
        "G1: admins only", FORBIDDEN, owner=OK, anonymous=UNAUTHORIZED, data={"tagline": "Matrix"}
    ),
    "GET /api/v1/pages/{page_id}/people": public(
        "G3: the page's people as each reader may see them; B1 leaves Olga out across a block"
    ),
    "GET /api/v1/pages/{page_id}/alumni": public(
        "G3: counted facets; hidden members and blocks either way count nowhere"
    ),
    "GET /api/v1/pages/{page_id}/admins": members(
        "G1: who runs the page; B1 leaves Olga out across a block"
    ),
    "POST /api/v1/pages/{page_id}/admins": expect(
        "G1: admins add admins (Olga again: nothing changes); B1: across a block the member "
        "to add doesn't exist, before any other answer",
        FORBIDDEN,
        owner=OK,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=UNAUTHORIZED,
        data={"account_id": "{account_id}"},
    ),
    "DELETE /api/v1/pages/{page_id}/admins/{account_id}": expect(
        "G1: admins remove admins, never the last one (Olga is: 409)",
        FORBIDDEN,
        owner=REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    "GET /api/v1/pages/{page_id}/analytics": expect(
        "G1: the admins' figures", FORBIDDEN, owner=OK, anonymous=UNAUTHORIZED
    ),
    "POST /api/v1/pages/{page_id}/claim": expect(
        "only a page without admins can be claimed: Olga's has one (409)",
        REFUSED,
        anonymous=UNAUTHORIZED,
    ),
    # --- After connecting (A1–A4): notes, tags, strength, prompts are the owner's only ----
    "POST /api/v1/accounts/{account_id}/note": about_member(
        "A1: the reader's own note on Olga, kept on a connection or a followed member; "
        "yourself and a member one neither follows nor is connected to are refused",
        data={"comment": "Matrix note"},
        owner=SELF,
        second=REFUSED,
    ),
    "PUT /api/v1/accounts/{account_id}/connection": about_member(
        "A1: one's own side of why two members connected: only a connection has one",
        data={"reason": "met", "note": "Matrix"},
        owner=NOT_FOUND,
        second=NOT_FOUND,
        stranger=NOT_FOUND,
    ),
    "GET /api/v1/accounts/{account_id}/lists": about_member(
        "A1: which of the reader's own lists hold Olga; B1"
    ),
    "PUT /api/v1/accounts/{account_id}/keep_in_touch": about_member(
        "A3: the reader's own cadence with a connection; others are not connected (404)",
        data={"every": "month"},
        owner=NOT_FOUND,
        second=NOT_FOUND,
        stranger=NOT_FOUND,
    ),
    "POST /api/v1/accounts/{account_id}/say_hello": about_member(
        "A2: the reader's own hello, through messaging's rules (as POST /api/v1/messages)",
        data={"text": "Matrix hello"},
        owner=NOT_FOUND,  # A2: a hello is for connections only (yourself included, as A3's)
        second=NOT_FOUND,
        stranger=NOT_FOUND,
    ),
    "GET /api/v1/lists": members("A1: your own lists (private tags)"),
    "POST /api/v1/lists": members("A1: your own new list", data={"title": "Matrix list"}),
    "GET /api/v1/lists/{list_id}": owner_only("A1: Olga's list: anyone else, 404"),
    "PUT /api/v1/lists/{list_id}": owner_only("A1: Olga's", data={"title": "Matrix renamed"}),
    "DELETE /api/v1/lists/{list_id}": owner_only("A1: Olga's"),
    "GET /api/v1/lists/{list_id}/accounts": owner_only("A1: who is in Olga's list"),
    "POST /api/v1/lists/{list_id}/accounts": owner_only(
        "A1: Olga's", data={"account_ids": ["{connection_id}"]}
    ),
    "DELETE /api/v1/lists/{list_id}/accounts": owner_only(
        "A1: Olga's", data={"account_ids": ["{connection_id}"]}
    ),
    "GET /api/v1/timelines/list/{list_id}": owner_only("A1: the posts of Olga's list"),
    "GET /api/v1/connections": members("A4: your own connections, in your order"),
    "GET /api/v1/keep_in_touch": members("A3: your own prompts"),
    "GET /api/v1/say_hello": members("A2: your own say-hello offers"),
    "POST /api/v1/keep_in_touch/{prompt_id}/done": owner_only(
        "A3: Olga's prompt about Pia's new position; nobody else has it"
    ),
    "POST /api/v1/keep_in_touch/{prompt_id}/snooze": owner_only("A3: Olga's prompt"),
}

WEB = {
    # --- Public pages --------------------------------------------------------------------
    "home": public("the landing page signed out, the feed signed in"),
    "login": public("the sign-in page"),
    "signup": expect("signing up: a signed-in member is sent home", REDIRECT, anonymous=OK),
    "logout": expect("signing out (POST only)", REDIRECT, method="post"),
    "resend_confirmation": public("asks for an address; says the same whatever it is"),
    "confirm_email": public("a bad link is a 400 page", REFUSED, params={"token": "not-a-token"}),
    "password_reset": public("asks for an address; says the same whatever it is"),
    "password_reset_done": public("a fixed sentence"),
    "password_reset_confirm": public(
        "a bad link says so", params={"uidb64": "x", "token": "not-a-token"}
    ),
    "password_reset_complete": public("a fixed sentence"),
    "set_language": public(
        "the footer's language switch: a cookie, and a member's own choice; back to the page",
        REDIRECT,
        method="post",
        data={"language": "en", "next": "/"},
    ),
    "oauth-metadata": public("RFC 8414 metadata"),
    "oauth2_provider:authorize": members(
        "the consent page, for a signed-in member",
        api=False,
        data={
            "client_id": "{client_id}",
            "redirect_uri": "https://client.example/callback",
            "response_type": "code",
            "scope": "read",
        },
    ),
    "oauth2_provider:token": public(
        "the token endpoint; no grant given is a 400", REFUSED, method="post"
    ),
    "oauth2_provider:revoke-token": public(
        "token revocation; no token given is a 400", REFUSED, method="post"
    ),
    "api:openapi-json": public("the OpenAPI document"),
    "api:openapi-view": public("the API docs"),
    "^api/": public("an unknown API path: a JSON 404", NOT_FOUND, path="/api/v1/no-such-endpoint"),
    "media": public(
        "uploaded files by unguessable name; nothing here by that name",
        NOT_FOUND,
        params={"path": "avatars/nothing.webp"},
    ),
    "post_image": owner_only(
        "P1: an upload not on a post is its uploader's (on a post: as visible as the post, "
        "tests/feed/test_images.py); signed out the same 404, no sign-in page",
        api=False,
        anonymous=NOT_FOUND,
        params={"size": "full"},
    ),
    "tag_page": public("F3: public posts with the tag, cut by the reader's blocks"),
    "search": public(
        "people search: the card and no filters signed out (S1); B1 leaves Olga out of a "
        "blocked reader's results; the Posts and Hashtags tabs (type=posts|hashtags) are the "
        "same search as the API's (P1, B1: tests/search/test_posts_web.py)",
        data={"q": "olga"},
    ),
    # --- A member's pages (S1, S5, B1) --------------------------------------------------
    "profile": about_member(
        "S1: the whole profile to members, the card signed out; B1: 404 across a block",
        api=False,
        anonymous=CARD,
        shows=(ABOUT,),
    ),
    "profile_activity": about_member(
        "P1: the member's posts the reader may see", api=False, anonymous=OK
    ),
    "member_connections": about_member("S5: the list, or only the shared connections", api=False),
    "mutual_connections": about_member("D2, cut by D4", api=False),
    "network_invite": about_member(
        "N1: the invitation form; yourself: sent to your profile", api=False, owner=REDIRECT
    ),
    "network_report": about_member(
        "B3: a member who blocked you is a 404; one you blocked may be reported",
        api=False,
        blocking=OK,
    ),
    "profile_edit": expect(
        "S1: the owner's; others are refused, and across a block it doesn't exist",
        FORBIDDEN,
        owner=OK,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=SIGN_IN,
    ),
    "profile_avatar": expect(
        "S1: the owner's (no file sent: a 400)",
        FORBIDDEN,
        method="post",
        owner=REFUSED,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=SIGN_IN,
    ),
    "profile_section_add": expect(
        "S1: the owner's",
        FORBIDDEN,
        method="post",
        data={
            "position-title": "Matrix Tester",
            "position-company": "Grid",
            "position-started_on": "2021-01-01",
        },
        owner=REDIRECT,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=SIGN_IN,
    ),
    "profile_section_remove": expect(
        "S1: the owner's",
        FORBIDDEN,
        method="post",
        owner=REDIRECT,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=SIGN_IN,
    ),
    # --- Your own pages ------------------------------------------------------------------
    "settings": members("your own settings", api=False),
    "password_change": members("your own password", api=False),
    "delete_account": members("your own account", api=False),
    # --- Your data (issue 17: X1, X2) ---------------------------------------------------
    "portability": members("your own imports and exports", api=False),
    "import_upload": expect(
        "an upload of your own; without a file the page says why (422)",
        REFUSED,
        method="post",
        anonymous=SIGN_IN,
    ),
    "import_detail": owner_only("X1: the uploader's preview and matches", api=False),
    "import_progress": owner_only("the uploader's progress bar", api=False),
    "import_apply": owner_only(
        "the uploader's profile fields", api=False, method="post", owner=REDIRECT
    ),
    "import_invite": owner_only(
        "X1: only the uploader picks whom to invite", api=False, method="post", owner=REDIRECT
    ),
    "import_join": owner_only(
        "X1: only the uploader asks their contacts to join",
        api=False,
        method="post",
        owner=REDIRECT,
    ),
    "linkedin_address": expect(
        "your own LinkedIn address (empty: removed)", REDIRECT, method="post", anonymous=SIGN_IN
    ),
    "export_request": expect("X2: your own export", REDIRECT, method="post", anonymous=SIGN_IN),
    "export_progress": owner_only("X2: the owner's export's progress", api=False),
    "export_download": owner_only(
        "X2: an export is downloadable by its owner only, for 7 days", api=False
    ),
    "connections_vcard": members("your own connections, as each shows themselves", api=False),
    "mastodon_csv": members(
        "your own follows and blocks in Mastodon's format",
        api=False,
        params={"name": "following_accounts"},
    ),
    "tokens": members("your own tokens", api=False),
    "token_revoke": expect(
        "your own token; another's is refused with a sentence",
        REDIRECT,
        method="post",
        anonymous=SIGN_IN,
    ),
    "app_revoke": expect(
        "U5: revokes your own tokens for that app only",
        REDIRECT,
        method="post",
        anonymous=SIGN_IN,
    ),
    "mynetwork": members("your own network", api=False),
    "my_invitations": members(
        "N3: your own received (not ignored) or sent invitations, paged",
        api=False,
        params={"direction": "received"},
    ),
    "my_connections": members("your own connections", api=False),
    "my_followers": members("your own followers", api=False),
    "my_following": members("your own follows", api=False),
    "network_blocks": members("your own blocks", api=False),
    "notifications": members("P5: your own inbox", api=False),
    "notifications_badge": members("P5: your own count", api=False),
    "mention_suggestions": members("members you may mention", api=False),
    "search_typeahead": members(
        "the top bar's suggestions: B1, S5 through search", api=False, data={"q": "ol"}
    ),
    "suggestions": members("your own People you may know (home page fragment)", api=False),
    "dismiss_suggestion": expect(
        "Not now: B1 answers a block as an unknown member; yourself is unknown",
        REDIRECT,
        method="post",
        params={"member_id": "{account_id}"},
        owner=NOT_FOUND,
        blocked=NOT_FOUND,
        blocking=NOT_FOUND,
        anonymous=SIGN_IN,
    ),
    "feed_more": members("P3: your own feed", api=False),
    "invitation_action": expect(
        "N3: the recipient's; anyone else is told there is no such invitation",
        REDIRECT,
        method="post",
        params={"action": "accept"},
        anonymous=SIGN_IN,
    ),
    "tag_follow": expect("F3: your own follows", REDIRECT, method="post", anonymous=SIGN_IN),
    # --- After connecting (A1–A4): the viewer's own, never anyone else's --------------------
    "catch_up": members("A3: your own prompts and say-hello offers", api=False),
    "catch_up_digest": expect(
        "A3: your own weekly e-mail, on or off", REDIRECT, method="post", anonymous=SIGN_IN
    ),
    "catch_up_answer": expect(
        "A3: Olga's prompt about Pia's new position; anyone else is told it doesn't exist",
        NOT_FOUND,
        method="post",
        params={"action": "done"},
        owner=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "say_hello": about_member(
        "A2: the composer for a connection; not connected (yourself too): sent to the profile",
        api=False,
        owner=REDIRECT,
        second=REDIRECT,
        stranger=REDIRECT,
    ),
    "connection_panel": about_member(
        "A1, A4: the reader's own note, tags and strength about a member they are connected "
        "to or follow; anyone else (yourself too) is a 404",
        api=False,
        owner=NOT_FOUND,
        second=NOT_FOUND,
    ),
    "relationship_edit": about_member(
        "A1: the reader's own note on Olga (refused with a sentence when not allowed); B1",
        api=False,
        method="post",
        params={"what": "note"},
        data={"note": "Matrix web note"},
        owner=REDIRECT,
        connection=REDIRECT,
        second=REDIRECT,
        stranger=REDIRECT,
        hidden=REDIRECT,
    ),
    "digest_unsubscribe": public(
        "A3: the one-click link works signed out; a bad token is a 400 page",
        REFUSED,
        params={"token": "not-a-token"},
    ),
    # --- Posts (P1, P2) ------------------------------------------------------------------
    "compose": expect(
        "P1: you post as yourself",
        REDIRECT,
        method="post",
        data={"text": "Matrix post", "visibility": "anyone"},
        anonymous=SIGN_IN,
    ),
    "post_detail": private_post("P1", api=False, anonymous=NOT_FOUND, shows=(PRIVATE_POST,)),
    "post_reactors": private_post("P2", api=False, anonymous=NOT_FOUND),
    "post_edit": owner_only("P1: the author's", api=False),
    "post_react": private_post("P2", api=False, method="post", owner=REDIRECT, connection=REDIRECT),
    "post_unreact": private_post(
        "P2", api=False, method="post", owner=REDIRECT, connection=REDIRECT
    ),
    "post_comment": private_post(
        "P2",
        api=False,
        method="post",
        data={"text": "Matrix comment"},
        owner=REDIRECT,
        connection=REDIRECT,
    ),
    "post_repost": private_post(
        "P2: a connections-only post can't be reposted (a sentence on its page)",
        api=False,
        method="post",
        owner=REDIRECT,
        connection=REDIRECT,
    ),
    "post_unrepost": private_post(
        "P2", api=False, method="post", owner=REDIRECT, connection=REDIRECT
    ),
    "post_delete": private_post(
        "P1: the author's; a reader who sees it is told only the author may (a sentence)",
        api=False,
        method="post",
        owner=REDIRECT,
        connection=REDIRECT,
    ),
    # --- The admin: staff only; none of the readers is staff ----------------------------
    "admin:*": expect(
        "staff only: everyone here is sent to the admin's sign-in",
        SIGN_IN,
        params={"object_id": "1", "content_type_id": "1", "app_label": "auth"},
    ),
    "admin/*": expect(
        "staff only (the admin's unnamed object URLs and its catch-all)",
        SIGN_IN,
        params={"object_id": "1", "url": "nothing/"},
    ),
    "admin:login": public("the admin's sign-in page"),
    "admin:logout": expect("signing out of the admin", REDIRECT, method="post"),
    # --- Messaging (M1–M6, B1) ----------------------------------------------------------
    "messaging": members("M1: your own inbox", api=False),
    "messaging_requests": members("M4: your own requests", api=False),
    "messaging_badge": members("your own unread count", api=False),
    "messaging_stream": members("your own live events (not read: a stream never ends)", api=False),
    "messaging_new": members("the composer's first step", api=False),
    "messaging_new_group": members("M1: a group of your own connections", api=False),
    "messaging_settings": members("your own read-receipt setting", api=False),
    "messaging_attachment": expect(
        "M1: an attachment of Olga and Conor's conversation: theirs; anyone else, signed "
        "out too, the same 404 as an unknown id",
        NOT_FOUND,
        owner=OK,
        connection=OK,
        anonymous=NOT_FOUND,
        params={"size": "full"},
    ),
    "messaging_add": expect(
        "groups: a participant adds connections (on Olga and Conor's 1:1, the refusal shown "
        "on the thread); anyone else: 404",
        NOT_FOUND,
        method="post",
        data={"to": "sam"},
        owner=REDIRECT,
        connection=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "messaging_remove": expect(
        "groups: a participant removes another (refused on a 1:1); anyone else: 404",
        NOT_FOUND,
        method="post",
        params={"member_id": "1"},
        owner=REDIRECT,
        connection=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "messaging_leave": expect(
        "groups: a participant leaves (refused on a 1:1); anyone else: 404",
        NOT_FOUND,
        method="post",
        owner=REDIRECT,
        connection=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "messaging_compose": about_member(
        "M1–M6: the route to Olga, or why not; to Conor, who has a conversation with her, "
        "that conversation; B1: 404 across a block",
        api=False,
        connection=REDIRECT,
    ),
    "messaging_thread": expect(
        "Olga and Conor's conversation: theirs; anyone else is told it doesn't exist",
        NOT_FOUND,
        owner=OK,
        connection=OK,
        anonymous=SIGN_IN,
        shows=(MESSAGE,),
    ),
    "messaging_send": expect(
        "a message in the conversation, by its members only",
        NOT_FOUND,
        method="post",
        data={"text": "Matrix reply"},
        owner=REDIRECT,
        connection=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "messaging_delete": expect(
        "delete-for-me, a member's",
        NOT_FOUND,
        method="post",
        owner=REDIRECT,
        connection=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "messaging_answer": expect(
        "M4: the recipient's; anyone else is told there is no such request",
        NOT_FOUND,
        method="post",
        params={"answer": "accept"},
        owner=REDIRECT,
        anonymous=SIGN_IN,
    ),
    # --- Pages (G1-G3, F3) ------------------------------------------------------------
    "page_new": members("G1: the create-page form", api=False),
    "page_suggest": public("page names for the company and school fields"),
    "page_home": public("G1: a page is public", params={"kind": "company", "slug": "olga-grid"}),
    "page_about": public("G1: a page is public", params={"kind": "company", "slug": "olga-grid"}),
    "page_posts": public(
        "G1: the page's posts (anyone may see them)",
        params={"kind": "company", "slug": "olga-grid"},
    ),
    "page_people": public(
        "G3: the people as each reader may see them; B1 leaves Olga out",
        params={"kind": "company", "slug": "olga-grid"},
    ),
    "page_alumni": public(
        "G3: counted facets; hidden members and blocks count nowhere",
        params={"kind": "school", "slug": "grid-school"},
    ),
    "page_follow": expect(
        "F3: your own follow",
        REDIRECT,
        method="post",
        params={"kind": "company", "slug": "olga-grid"},
        anonymous=SIGN_IN,
    ),
    "page_unfollow": expect(
        "F3: your own follow",
        REDIRECT,
        method="post",
        params={"kind": "company", "slug": "olga-grid"},
        anonymous=SIGN_IN,
    ),
    "page_post": expect(
        "G1: only admins post as the page",
        FORBIDDEN,
        method="post",
        params={"kind": "company", "slug": "olga-grid"},
        data={"text": "Matrix page post"},
        owner=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "page_edit": expect(
        "G1: admins only",
        FORBIDDEN,
        params={"kind": "company", "slug": "olga-grid"},
        owner=OK,
        anonymous=SIGN_IN,
    ),
    "page_admin": expect(
        "G1: the admins' analytics and list",
        FORBIDDEN,
        params={"kind": "company", "slug": "olga-grid"},
        owner=OK,
        anonymous=SIGN_IN,
    ),
    "page_admin_add": expect(
        "G1: admins add admins",
        FORBIDDEN,
        method="post",
        params={"kind": "company", "slug": "olga-grid"},
        data={"handle": "olga"},
        owner=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "page_admin_remove": expect(
        "G1: never the last admin (the refusal is shown on the admin page)",
        FORBIDDEN,
        method="post",
        params={"kind": "company", "slug": "olga-grid", "member_id": "{account_id}"},
        owner=REDIRECT,
        anonymous=SIGN_IN,
    ),
    "page_claim": expect(
        "a claim on a page with admins is refused, shown as a message",
        REDIRECT,
        method="post",
        params={"kind": "company", "slug": "olga-grid"},
        anonymous=SIGN_IN,
    ),
}


# One route, one case per action (web.network.views.PROFILE_ACTIONS): B1 makes every one a
# 404 across a block but block and unblock, which reach any active member.
def _action(action: str, reason: str, **outcomes) -> Expect:
    outcomes.setdefault("blocked", NOT_FOUND)
    outcomes.setdefault("blocking", NOT_FOUND)
    return expect(
        reason,
        REDIRECT,
        method="post",
        params={"action": action},
        anonymous=SIGN_IN,
        **outcomes,
    )


WEB["network_action"] = {
    "connect": _action(
        "connect",
        "N1; already connected: the form again with the sentence (400)",
        connection=REFUSED,
        hidden=REFUSED,
    ),
    "withdraw": _action("withdraw", "N4 (nothing to withdraw is no error)"),
    "follow": _action("follow", "F1"),
    "unfollow": _action("unfollow", "F1"),
    "disconnect": _action("disconnect", "N8"),
    "remove_follower": _action("remove_follower", "F2"),
    "block": _action("block", "B1: any active member", blocked=REDIRECT, blocking=REDIRECT),
    "unblock": _action("unblock", "B1: any active member", blocked=REDIRECT, blocking=REDIRECT),
}
