"""S1–S7: what a member shows and the settings that decide who may do what with them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class PrimaryAction(models.TextChoices):  # S2
    CONNECT = "connect", _("Connect")
    FOLLOW = "follow", _("Follow")


class FollowersAllowed(models.TextChoices):  # S3
    EVERYONE = "everyone", _("Everyone")
    CONNECTIONS = "connections", _("Only my connections")


class InvitationsFrom(models.TextChoices):  # S4
    EVERYONE = "everyone", _("Everyone")
    EMAIL = "email", _("Only people who know my e-mail address")


class ConnectionsVisibleTo(models.TextChoices):  # S5
    CONNECTIONS = "connections", _("My connections")
    ONLY_ME = "only_me", _("Only me")


class Profile(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    headline = models.CharField(max_length=220, blank=True)
    location = models.CharField(max_length=100, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    about = models.TextField(max_length=2600, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)

    primary_action = models.CharField(
        max_length=10, choices=PrimaryAction.choices, default=PrimaryAction.CONNECT
    )
    followers_allowed = models.CharField(
        max_length=12, choices=FollowersAllowed.choices, default=FollowersAllowed.EVERYONE
    )
    invitations_from = models.CharField(
        max_length=10, choices=InvitationsFrom.choices, default=InvitationsFrom.EVERYONE
    )
    connections_visible_to = models.CharField(
        max_length=12,
        choices=ConnectionsVisibleTo.choices,
        default=ConnectionsVisibleTo.CONNECTIONS,
    )
    open_profile = models.BooleanField(default=False)  # S6
    share_profile_updates = models.BooleanField(default=True)  # S7
    share_network_updates = models.BooleanField(default=False)  # S7
    refuse_inmail = models.BooleanField(default=False)  # M3
    # Mastodon's `discoverable`: False keeps the member out of every page's alumni tool, its
    # facets and its list (G3).
    discoverable = models.BooleanField(default=True)
    # The interface language (docs/i18n.md): a code of settings.LANGUAGES, or "" to follow
    # the browser (then LINKWELL_LANGUAGE).
    # No choices here, so adding a language needs no migration.
    language = models.CharField(max_length=8, blank=True, default="")
    # The member's last move (A3's "moved to your city"): the city they moved to, folded as
    # search's location facet folds it (`profiles.queries.city_of`), and when. Set when the
    # location changes from one city to another; cleared when it is emptied or set for the
    # first time (a profile filled in is no move). Blank/None: no move on record.
    moved_to = models.CharField(max_length=100, blank=True, default="")
    moved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # A3: the connections who moved lately to one city, read from the index alone.
            models.Index(
                fields=["moved_to", "moved_at"],
                name="profile_moved",
                condition=models.Q(moved_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(primary_action__in=PrimaryAction.values),
                name="profile_primary_action_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(followers_allowed__in=FollowersAllowed.values),
                name="profile_followers_allowed_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(invitations_from__in=InvitationsFrom.values),
                name="profile_invitations_from_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(connections_visible_to__in=ConnectionsVisibleTo.values),
                name="profile_connections_visible_to_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(moved_at__isnull=True, moved_to="")
                | (models.Q(moved_at__isnull=False) & ~models.Q(moved_to="")),
                name="profile_moved_to_a_city",
            ),
        ]


class Position(models.Model):
    """Experience: a title at a company from a date to a date (open when current)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(max_length=100)
    company = models.CharField(max_length=100, db_index=True)
    location = models.CharField(max_length=100, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            # A member's current positions, read from the index alone: M5's coworkers and
            # the alumni tool's "where they work", "what they do" (pages.queries).
            models.Index(
                fields=["member", "company", "title"],
                name="position_current",
                condition=models.Q(ended_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Education(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="education"
    )
    school = models.CharField(max_length=150)
    degree = models.CharField(max_length=100, blank=True)
    field_of_study = models.CharField(max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-end_year", "-start_year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="education_ends_after_start",
            ),
        ]


class Skill(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint("member", Lower("name"), name="skill_unique_per_member"),
        ]


class MemberCounts(models.Model):
    """A member's followers, following, connections and posts, kept rather than counted.

    Network's and feed's services change these in the transaction that changes the rows they
    count, with F() updates in member id order, so concurrent follows lose no increment and
    two writers never wait on each other's rows in opposite orders. `linkwell recount`
    counts them again from the rows (docs/architecture.md, "Kept counts")."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="counts"
    )
    followers = models.IntegerField(default=0)
    following = models.IntegerField(default=0)
    connections = models.IntegerField(default=0)
    posts = models.IntegerField(default=0)  # posts, comments and reposts (statuses_count)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(followers__gte=0)
                & models.Q(following__gte=0)
                & models.Q(connections__gte=0)
                & models.Q(posts__gte=0),
                name="member_counts_not_negative",
            ),
        ]
