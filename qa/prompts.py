"""Every prompt the tool sends to a model, in one place.

The model only ever names evidence by number; quote text is fetched by code from offsets.
The examples are about invented events, so no prompt is tuned on the evaluation questions.
"""

from __future__ import annotations

from collections.abc import Sequence

CANNOT_ANSWER = "NOT IN SOURCES"

INSTRUCTIONS = (
    "Answer the question from the numbered evidence only: copy the shortest phrase of the evidence "
    "that answers it, word for word (at most 20 words), and cite the evidence it comes from as [n] after it. "
    f"If the evidence does not answer the question, reply exactly: {CANNOT_ANSWER}"
)

FEW_SHOT = f"""{INSTRUCTIONS}

Evidence:
[1] The bridge over the Danube was completed in 1896 after six years of work.
[2] The city council approved a budget of 4.2 million euros on Tuesday.
Question: How long did it take to build the bridge?
Answer: six years [1]

Evidence:
[1] Rescue teams reached the village of Dorna late on Friday, officials said.
[2] Mayor Elena Varga said about 300 homes had been flooded.
Question: Who said that homes had been flooded?
Answer: Mayor Elena Varga [2]

Evidence:
[1] The festival drew 12,000 visitors in its first year.
[2] Organisers moved the event to the harbour in 2019.
Question: What did the tickets cost?
Answer: {CANNOT_ANSWER}
"""


def evidence_block(evidence: Sequence[str]) -> str:
    """Returns the evidence as numbered lines, [1] first."""
    return "\n".join(f"[{i}] {' '.join(text.split())}" for i, text in enumerate(evidence, 1))


def completion_prompt(question: str, evidence: Sequence[str]) -> str:
    """Returns the few-shot completion prompt for a base model; the answer follows 'Answer:'."""
    return f"{FEW_SHOT}\nEvidence:\n{evidence_block(evidence)}\nQuestion: {question}\nAnswer:"


def chat_messages(question: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """Returns (role, content) messages for an instruction-tuned chat model."""
    return [
        ("system", INSTRUCTIONS),
        ("user", f"Evidence:\n{evidence_block(evidence)}\n\nQuestion: {question}"),
    ]
