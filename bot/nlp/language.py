"""English or Spanish? A small, explainable guess from function words and Spanish spelling.

Patients write Spanish, Spanglish and English with typos; a model download is
not possible here and a character-level model would confuse the two on short
texts. Function words ("que", "el", "mi", "está") are the most reliable
signal, so the guess counts them, with Spanish letters (ñ, ¿, ¡, accents) as
extra evidence. Mixed messages that lean Spanish count as Spanish, because
the safety replies then reach a reader who may not read English.
"""

from __future__ import annotations

import re
import unicodedata

#: Words both languages use ("no", "cancer", "doctor", "ya" as in "see ya") are left out.
SPANISH = frozenset("""
de la que el en y los se del las por un para con no una su al lo como mas pero sus le ya o este si porque esta
entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos durante todos uno les ni contra otros
ese eso ante ellos esto mi antes algunos que unos yo otro otras otra tanto esa estos mucho quienes nada muchos
cual poco ella estar estas algunas algo nosotros mis tu te ti tus ellas estoy estaba tengo tiene tienen tenia es
son fue era soy hace hizo puedo puede pueden debo debe quiero quiere siento sangre sangrando duele dolor
pecho seno senos mama biopsia fiebre ayuda hoy ahora ayer manana noche dia dias semana hija hijo mama esposa
esposo hermana dos tres semanas meses quisiera nerviosa doctor solo quiero dormir despertar nunca vuelto
cortar sale herida quita tomo tomar pastilla pastillas dijeron sigue fuerte deja dice reporte voy vas va vamos
poner hacer tener llenar gritar bien mal todavia aun despues cuanto cuantos tiempo salir casa brazo cara labios
lengua garganta respirar mareada mareo desmaye hinchado hinchada roja rojo caliente sangra sangrado moreton
bulto han estoy estas estamos usted ustedes
doctora medico enfermera resultados resultado cancer morir vida muy ya pasa paso
""".split()) - {"no", "cancer", "doctor", "ya", "yo", "y", "mama", "o", "un", "me", "te", "son",
                "dolor"}
ENGLISH = frozenset("""
the a an and of to in is it i my me you that this was for on with have has had be are not but what how when
can will would should do does did so if at just about from or get got been still really its im dont cant
""".split())
#: Spanish courtesy words that English chat does not borrow: a short message made of them ("gracias",
#: "ok gracias", "hola buenas") is Spanish, though one Spanish word alone is usually too little to go on.
COURTESY = frozenset("gracias hola adios disculpe disculpa perdon buenas buenos bendiciones saludos".split())
_WORD = re.compile(r"[a-zñ]+")
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]")


def _fold(text: str) -> str:
    """Lower case without accents, except ñ, which is a Spanish letter of its own."""
    text = text.lower().replace("ñ", "\0")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.replace("\0", "ñ")


def detect_language(text: str) -> str:
    """"es" when the message reads as Spanish (or mostly Spanish), else "en"."""
    words = _WORD.findall(_fold(text))
    if not words:
        return "en"
    spanish = sum(w in SPANISH for w in words)
    english = sum(w in ENGLISH for w in words)
    marks = len(_SPANISH_MARKS.findall(text.lower()))
    score = spanish + min(marks, 3) - english
    if score >= 2 or (len(words) <= 5 and score >= 1 and (spanish >= 2 or marks)):
        return "es"
    if len(words) <= 3 and english == 0 and any(w in COURTESY for w in words):
        return "es"
    return "en"
