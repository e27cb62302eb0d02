"""The one settings object: packaged defaults, a TOML file, RASAD_* variables, then flags.

`Settings.load(path)` builds it: the file overlays only the keys it sets, environment variables
such as ``RASAD_USE_NER=false`` override both, command-line flags override everything.  It is
immutable and passed down by the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from rasad.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Settings(BaseSettings):
    """Settings of the extractor and its tools (see README, "Settings")."""

    model_config = SettingsConfigDict(env_prefix="RASAD_", frozen=True, extra="forbid")

    max_document_chars: int = 2_000_000
    """Longer documents are rejected with E105 rather than slowing a batch down."""
    use_ner: bool = True
    """Run the packaged Arabic NER model (on event sentences) when it is installed."""
    min_confidence: float = 0.0
    """Events below this confidence are dropped from the output."""
    event_model: bool = True
    """Judge every event with the packaged event model (`rasad.extract.eventmodel`): its
    probability becomes the event's confidence, and events below the model's threshold are
    dropped."""
    merge_model: bool = False
    """Merge the events of a document that the packaged pair model (`rasad.extract.mergemodel`)
    calls one incident told twice, after the event model has judged them.  Off by default: it
    helps on the dev sets but lowered the check set's F1 (docs/merge_model.md)."""
    merge_retold: bool = True
    """Let a mention that tells an act again — the very day and place, in another sentence, no
    new-report connector, not only a toll — join its event even when the actors read differ
    (`rasad.extract.retelling`): fewer duplicates on incidents_dev, check F1 0.404 -> 0.407
    (README's settings table)."""
    refine_places: bool = True
    """Give an event placed coarsely (a country, a direction of one, a governorate, «ريف حمص»)
    the finer place inside it that its sentence, or a retelling of the act in the next
    sentences of its paragraph, names (`rasad.extract.refine`; README's settings table)."""
    drop_summaries: tuple[Literal["period", "tally", "referenced"], ...] = ()
    """Drop the trigger mentions of these kinds that report no new event
    (`rasad.extract.summaries`): acts counted («عشرات الغارات») with no day and no place inside
    a country (`tally`), acts only referred to as what a reaction condemns («ودانت … القصف
    التركي») and told elsewhere (`referenced`), acts summed over a recent period («خلال الأيام
    الماضية», `period`: off by default, the dev gold codes such campaigns as often as not).
    Empty (the default): drop none.  ("tally", "referenced") raises both dev files' F1 but
    lowered the check set's (0.407 -> 0.393, one matched event lost; README's settings table)."""
    toponym_model: bool = True
    """Let the packaged toponym model (`rasad.geo.toponymmodel`) judge the weak names (villages,
    small towns nothing in the text vouches for) that the resolver's rules drop (and, with
    `toponym_rescue`, the common words they leave out).  Its places are listed but locate no
    event."""
    toponym_rescue: bool = True
    """With `toponym_model`, also look for the gazetteer names that are everyday words no feature
    word or relation makes a place («الصباحية») and let the model judge them: on IDRISI dev 0.003
    of span recall (0.915 -> 0.918).  Only the tokens where the model could keep such a name are
    read (`rasad.geo.toponymmodel.RescueGate`): about 4% of the pipeline's time, against 15-25%
    when it read every text a second time (README, Settings)."""
    keep_unreal: bool = False
    """Also output events the text denies (negated) or only threatens/plans (future), flagged by
    their modality; by default only events reported as happened, attempted or hedged."""
    background_days: int = 30
    """Events dated more than this many days before `published` are background (kept, marked)."""
    shared_dir: Path = Path("../shared")
    """Where the evaluation data lives (gold sets, corpora); only `rasad eval` reads it."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment variables beat the settings file, which is passed in as init values.
        return env_settings, init_settings

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> Settings:
        """Defaults, overlaid by the TOML file at `path` (if any), then by RASAD_* variables."""
        values: dict[str, Any] = {}
        if path is not None:
            try:
                values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        try:
            settings = cls(**values)
            # Explicit overrides (command-line flags) beat the environment too.
            return cls.model_validate({**settings.model_dump(), **overrides}) if overrides \
                else settings
        except ValidationError as exc:
            raise ConfigError(f"bad setting: {exc}") from exc
