"""Sentence context: does this sentence license an event trigger?

A trigger fires only in a fitting context.  `SentenceContext` collects the context cues of one
sentence (sport, film, crime, history … against; armed actors, weapons, protest words, political
targets for) together with what the actor registry found in it, and `licenses(trigger)` applies
the rules of `data/triggers.yaml`:

- a strongly negative topic (sport, fiction, cyber, history, celebration, space) drops every
  trigger except a strength-3 one backed by a named armed actor;
- a negative topic (crime, executions, accidents, medicine, economy, culture, metaphor) drops
  the strength-1/2 triggers of the event families it blocks (`context_blocks`: crime does not
  block a protest, culture does not block an air strike) unless a named armed actor is present,
  or, for a strength-2 trigger, an armed word («مسلحين», «عناصر»);
- a trigger's `requires` lists (strength-1 triggers need `armed` by default) must be met by a cue
  or an actor of the matching kind, or, for `armed`, by a trigger the entry's `licensed_by`
  names in the same sentence («قتل خمسة أشخاص في الهجوم»; the event stage applies this).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from rasad.doc import ActorMention
from rasad.extract.lexicons import ContextCue, TriggerSpec

ARMED_INTER = frozenset({1, 2, 3, 4, 8})


def event_family(event_type: str) -> str:
    """violence, protest or strategic: the families negative topics are declared against."""
    if event_type in ("Protests", "Riots"):
        return "protest"
    if event_type == "Strategic developments":
        return "strategic"
    return "violence"


@dataclass(slots=True)
class SentenceContext:
    """The context cues of one sentence and the kinds of actors named in it."""

    groups: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    negative_topics: set[str] = field(default_factory=set)
    named_armed_actor: bool = False
    armed_actor: bool = False
    protesters: bool = False

    @classmethod
    def build(cls, cues: Iterable[ContextCue], actors: Iterable[ActorMention]
              ) -> SentenceContext:
        """From the sentence's context cues and the actors named in it."""
        ctx = cls()
        for cue in cues:
            ctx.groups.add(cue.group)
            ctx.topics.add(cue.topic)
            if cue.group == "negative":
                ctx.negative_topics.add(cue.topic)
        for actor in actors:
            if actor.armed and actor.inter in ARMED_INTER:
                ctx.armed_actor = True
                ctx.named_armed_actor = ctx.named_armed_actor or (
                    not actor.generic and actor.registered)
            elif actor.inter in (5, 6):
                ctx.protesters = True
        return ctx

    def _has(self, requirement: str) -> bool:
        if requirement == "armed":
            return self.armed_actor or "armed" in self.groups
        if requirement == "protest":
            return self.protesters or "protest" in self.groups
        if requirement == "political":
            return self.named_armed_actor or "political" in self.groups or self.protesters
        return requirement in self.groups

    def licenses(self, trigger: TriggerSpec, blocks: Mapping[str, frozenset[str]]) -> bool:
        """Whether `trigger` counts as an event trigger in this sentence.

        `blocks` maps a negative topic to the event families it rules out (none listed: all).
        """
        if "strong_negative" in self.groups and not (
                trigger.strength >= 3 and self.named_armed_actor):
            return False
        family = event_family(trigger.event_type)
        blocking = {t for t in self.negative_topics if family in blocks.get(t, frozenset({family}))}
        if blocking and trigger.strength < 3 and not self.named_armed_actor and not (
                trigger.strength == 2 and "armed" in self.groups):
            return False
        return not trigger.requires or any(self._has(r) for r in trigger.requires)

    def with_group(self, group: str) -> SentenceContext:
        """This context with one more cue group (what another trigger stands for)."""
        return replace(self, groups={*self.groups, group})

    @property
    def reason(self) -> str:
        """A short description of the context (for debugging and `--errors` output)."""
        return ",".join(sorted(self.topics)) or "-"
