from django.contrib import admin
from django.urls import path

from luntan.accounts import views as accounts
from luntan.api.routes import api
from luntan.columns import views as columns
from luntan.forum import views as forum
from luntan.messages import views as messages
from luntan.moderation import views as moderation
from luntan.search import views as search
from luntan.web import feeds
from luntan.web import media
from luntan.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("hot/", web.hot_page, name="hot"),
    path("search/", search.search, name="search"),
    path("pages/<slug:slug>/", web.site_page, name="site_page"),
    # Atom feeds
    path("feeds/site.atom", feeds.SiteFeed(), name="feed_site"),
    path("b/<slug:slug>/feed.atom", feeds.BoardFeed(), name="feed_board"),
    path("p/<int:post_id>/feed.atom", feeds.ThreadFeed(), name="feed_thread"),
    path("u/<str:username>/feed.atom", feeds.AuthorFeed(), name="feed_author"),
    path("c/<slug:slug>/feed.atom", feeds.ColumnFeed(), name="feed_column"),
    # forum
    path("b/<slug:slug>/", forum.board, name="board"),
    path("b/<slug:slug>/new/", forum.new_thread, name="new_thread"),
    path("p/<int:post_id>/", web.post_page, name="post"),
    path("p/<int:post_id>/reply/", forum.reply, name="reply"),
    path("p/<int:post_id>/edit/", web.edit_page, name="edit_post"),
    path("p/<int:post_id>/vote/", forum.vote, name="vote"),
    # moderation
    path("moderation/", moderation.dashboard, name="moderation"),
    path("moderation/review/", moderation.review_queue, name="review_queue"),
    path("moderation/review/<int:item_id>/", moderation.decide, name="decide_review"),
    path("moderation/reports/", moderation.reports, name="reports"),
    path("moderation/reports/<int:report_id>/", moderation.resolve, name="resolve_report"),
    path("moderation/bans/", moderation.bans, name="bans"),
    path("moderation/bans/<int:ban_id>/lift/", moderation.lift, name="lift_ban"),
    path("moderation/log/", moderation.log, name="moderation_log"),
    path("p/<int:post_id>/moderate/", moderation.moderate_post, name="moderate_post"),
    path("p/<int:post_id>/report/", moderation.report_post, name="report_post"),
    path("b/<slug:slug>/featured/", moderation.featured, name="featured"),
    path("b/<slug:slug>/moderators/", moderation.board_moderators, name="board_moderators"),
    # columns (articles are posts: /p/<id>/)
    path("columns/", columns.column_list, name="columns"),
    path("columns/new/", columns.open_column, name="open_column"),
    path("c/<slug:slug>/", columns.column, name="column"),
    path("c/<slug:slug>/settings/", columns.column_settings, name="column_settings"),
    path("c/<slug:slug>/write/", columns.write, name="write_article"),
    path("p/<int:post_id>/publish/", columns.publish, name="publish_article"),
    path("p/<int:post_id>/discard/", columns.discard, name="discard_draft"),
    path("p/<int:post_id>/pin/", columns.pin, name="pin_article"),
    # accounts
    path("accounts/register/", accounts.register, name="register"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("accounts/password/", accounts.change_password, name="change_password"),
    path("accounts/settings/", accounts.account_settings, name="account_settings"),
    path("accounts/tokens/", accounts.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", accounts.revoke_api_token, name="revoke_api_token"),
    path("u/<str:username>/", accounts.profile, name="profile"),
    # private messages
    path("messages/", messages.inbox, name="inbox"),
    path("messages/sent/", messages.sent, name="sent"),
    path("messages/new/", messages.compose, name="compose"),
    path("messages/blocked/", messages.blocked, name="blocked"),
    path("messages/<int:message_id>/", messages.detail, name="message"),
    path("messages/<int:message_id>/report/", moderation.report_message, name="report_message"),
    path("messages/notices/", messages.notices, name="notices"),
    path("u/<str:username>/block/", messages.block, name="block"),
    # machines and operators
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # uploaded images, while they live on the filesystem (var/media)
    media.urlpattern(),
]

handler404 = "luntan.web.errors.not_found"
