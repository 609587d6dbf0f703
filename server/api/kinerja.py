"""The national comparison of offices (issue 13 §5): pages for the national administrators and the JSON API, and the
aggregate-only public page for open data.

- ``GET /nasional/kinerja?bulan=YYYY-MM&urut=KPI``: every office's KPIs for a month, ranked, against the previous
  month, with the national trend; ``GET /nasional/kinerja/instansi/{office_id}``: one office by unit and category.
  Behind the national admin token: given once at ``/nasional/masuk``, it sets a signed session cookie (HttpOnly,
  SameSite=Strict, 8 hours; the token itself is never stored in it). The JSON API takes the token as a bearer:
  ``GET /api/v1/national/kpi`` and ``GET /api/v1/national/kpi/offices/{office_id}``.
- ``GET /data/kinerja?bulan=`` and ``GET /api/v1/public/kpi?month=``: the same office figures without login
  (counts, rates and medians per office; no complaint, no unit or category, nothing personal).

Figures come from server.kpi_national's daily rows (no scan of complaints per request). No scripts on the pages; the
trend chart is inline SVG; one style block allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from app.errors import ValidationError
from app.kpi.marks import Summary
from server import auth, kinerja
from server.api.deps import ServerContext, ctx
from server.errors import ApiError
from sync.protocol import TOKEN_PATTERN

router = APIRouter(tags=["kinerja"])
_templates = Environment(loader=PackageLoader("server", "templates"), autoescape=True, trim_blocks=True,
                         lstrip_blocks=True)
_CSS = _templates.loader.get_source(_templates, "kinerja/kinerja.css")[0]  # type: ignore[union-attr]
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
PAGE_CSP = (f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
            "X-Robots-Tag": "noindex", "Content-Security-Policy": PAGE_CSP}
COOKIE = "lapor_nasional"
SESSION_SECONDS = 8 * 3600
LOGIN_RATE_KEY = "nasional-masuk:"


# ---- the national admin's session -----------------------------------------------------------------------------

def _signature(token: str, expires: int) -> str:
    key = hashlib.sha256(("lapor-nasional-session:" + token).encode()).digest()
    return hmac.new(key, f"nasional:{expires}".encode(), hashlib.sha256).hexdigest()


def session_cookie(token: str, now: float) -> str:
    expires = int(now) + SESSION_SECONDS
    return f"{expires}.{_signature(token, expires)}"


def _cookie_valid(token: str | None, cookie: str | None, now: float) -> bool:
    if not token or not cookie or "." not in cookie:
        return False
    raw_expires, signature = cookie.split(".", 1)
    if not raw_expires.isdigit() or int(raw_expires) < now:
        return False
    return hmac.compare_digest(signature, _signature(token, int(raw_expires)))


def _signed_in(request: Request, context: ServerContext) -> bool:
    token = context.settings.national_admin_token
    if _cookie_valid(token, request.cookies.get(COOKIE), time.time()):
        return True
    header = request.headers.get("authorization")
    if token and header:
        try:
            auth.check_admin_token(token, header)
            return True
        except ApiError:
            return False
    return False


# ---- rendering --------------------------------------------------------------------------------------------------

def _pct(rate: Any) -> str:
    return "–" if rate.no_data else f"{rate.percent:.1f}".replace(".", ",") + " %"


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _days(median: Any) -> str:
    return "–" if median.no_data else f"{median.value:.1f}".replace(".", ",")


def _change(now: Any, before: Any) -> str:
    """The change of a rate against the previous month, in percentage points."""
    if now.no_data or before.no_data:
        return ""
    delta = now.percent - before.percent
    if abs(delta) < 0.05:
        return "±0"
    return ("▲ +" if delta > 0 else "▼ −") + f"{abs(delta):.1f}".replace(".", ",")


def _trend_svg(trend: tuple[tuple[int, Summary], ...]) -> Markup:
    """Received per month as bars, completed on time (%) written above each: readable without colour."""
    width, height, pad = 720, 190, 28
    top = max((s.received for _, s in trend), default=0) or 1
    bar = (width - 2 * pad) / max(len(trend), 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tren-judul" class="chart">',
             '<title id="tren-judul">Laporan diterima per bulan (batang) dan persentase selesai tepat waktu '
             '(angka di atas batang)</title>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#5f6b7a"/>']
    for i, (month, s) in enumerate(trend):
        h = (height - 2 * pad - 24) * s.received / top
        x = pad + i * bar + bar * 0.15
        y = height - pad - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" fill="#1d5fa7">'
                     f'<title>{kinerja.month_label(month)}: {s.received} diterima</title></rect>')
        parts.append(f'<text x="{x + bar * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
                     f'{_pct(s.resolved_on_time)}</text>')
        parts.append(f'<text x="{x + bar * 0.35:.1f}" y="{height - pad + 14:.1f}" text-anchor="middle" '
                     f'font-size="11">{kinerja.short_month(month)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


_templates.filters.update(pct=_pct, num=_num, days=_days, month_label=kinerja.month_label,
                          month_text=kinerja.month_text)
_templates.globals.update(change=_change)


def _page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    body = _templates.get_template(f"kinerja/{name}").render(css=Markup(_CSS), **values)
    return HTMLResponse(body, status_code=status, headers=dict(_HEADERS))


def _problem_page(exc: ValidationError, *, public: bool) -> HTMLResponse:
    return _page("problem.html", 422, title="Periode tidak dapat ditampilkan",
                 messages=[m.id for m in exc.fields.values()], public=public)


def _month_links(month: int, now: datetime) -> dict[str, str | None]:
    """The months before and after ``month`` (none after the current one: it has no figures yet)."""
    following = month + 89 if month % 100 == 12 else month + 1
    return {"previous": kinerja.month_text(kinerja.kr.previous_month(month)),
            "next": kinerja.month_text(following) if following <= kinerja.month_of(None, now) else None}


# ---- the national administrators' pages -----------------------------------------------------------------------

@router.get("/nasional/masuk", response_class=HTMLResponse, include_in_schema=False, name="nasional_login")
def login_form(request: Request, context: Annotated[ServerContext, Depends(ctx)],
               lanjut: Annotated[str | None, Query(max_length=300)] = None) -> HTMLResponse:
    enabled = bool(context.settings.national_admin_token)
    return _page("login.html", 200 if enabled else 403, enabled=enabled, problem=None, next=_safe_next(lanjut))


def _safe_next(target: str | None) -> str:
    """Only a path of these pages (never another site)."""
    if target and target.startswith("/nasional/kinerja") and "//" not in target and "\\" not in target:
        return target
    return "/nasional/kinerja"


@router.post("/nasional/masuk", response_class=HTMLResponse, include_in_schema=False)
def login(request: Request, context: Annotated[ServerContext, Depends(ctx)],
          token: Annotated[str, Form(max_length=500)] = "", lanjut: Annotated[str, Form(max_length=300)] = ""
          ) -> Response:
    expected = context.settings.national_admin_token
    if not expected:
        return _page("login.html", 403, enabled=False, problem=None, next=_safe_next(lanjut))
    key = LOGIN_RATE_KEY + (request.client.host if request.client else "?")
    limits = context.national_login_limits
    # Every attempt takes a token first (concurrent guesses cannot all pass before any is counted); the right
    # token gives it back: guessing from one place is slowed, the admin is not.
    wait = limits.retry_after(key)
    if wait > 0:
        return _page("login.html", 429, enabled=True, next=_safe_next(lanjut),
                     problem=f"Terlalu banyak percobaan yang salah. Coba lagi dalam {int(wait) + 1} detik.")
    if not hmac.compare_digest(auth.digest(token.strip()), auth.digest(expected)):
        return _page("login.html", 401, enabled=True, next=_safe_next(lanjut),
                     problem="Token admin nasional tidak sah. Periksa token dari pengelola server.")
    limits.give_back(key)
    response = RedirectResponse(_safe_next(lanjut), status_code=303)
    response.set_cookie(COOKIE, session_cookie(expected, time.time()), max_age=SESSION_SECONDS, path="/nasional",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/nasional/keluar", include_in_schema=False)
def logout() -> Response:
    response = RedirectResponse("/nasional/masuk", status_code=303)
    response.delete_cookie(COOKIE, path="/nasional")
    return response


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/nasional/masuk?" + urlencode({"lanjut": target}), status_code=303)


@router.get("/nasional/kinerja", response_class=HTMLResponse, include_in_schema=False, name="nasional_kinerja")
def national_page(request: Request, context: Annotated[ServerContext, Depends(ctx)],
                  bulan: Annotated[str | None, Query(max_length=20)] = None,
                  urut: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    if not _signed_in(request, context):
        return _login_redirect(request)
    now = context.clock()
    try:
        month, by = kinerja.month_of(bulan, now), kinerja.ranking(urut)
    except ValidationError as exc:
        return _problem_page(exc, public=False)
    with context.db.transaction() as session:
        view = kinerja.national_month(session, month, by, now)
    return _page("national.html", view=view, rankings=kinerja.RANKINGS, links=_month_links(month, now),
                 trend_svg=_trend_svg(view.trend), public=False)


@router.get("/nasional/kinerja/instansi/{office_id}", response_class=HTMLResponse, include_in_schema=False)
def office_page(request: Request, context: Annotated[ServerContext, Depends(ctx)],
                office_id: Annotated[str, Path(max_length=36, pattern=TOKEN_PATTERN)],
                bulan: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    if not _signed_in(request, context):
        return _login_redirect(request)
    now = context.clock()
    try:
        month = kinerja.month_of(bulan, now)
    except ValidationError as exc:
        return _problem_page(exc, public=False)
    with context.db.transaction() as session:
        view = kinerja.office_month(session, office_id, month, now)
    if view is None:
        return _page("problem.html", 404, title="Instansi tidak ditemukan",
                     messages=["Instansi ini tidak dikenal server. Kembali ke daftar instansi."], public=False)
    return _page("office.html", view=view, links=_month_links(month, now), trend_svg=_trend_svg(view.trend),
                 public=False)


# ---- open data --------------------------------------------------------------------------------------------------

@router.get("/data/kinerja", response_class=HTMLResponse, include_in_schema=False)
def public_page(context: Annotated[ServerContext, Depends(ctx)],
                bulan: Annotated[str | None, Query(max_length=20)] = None,
                urut: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    now = context.clock()
    try:
        month, by = kinerja.month_of(bulan, now), kinerja.ranking(urut)
    except ValidationError as exc:
        return _problem_page(exc, public=True)
    with context.db.transaction() as session:
        view = kinerja.national_month(session, month, by, now)
    return _page("national.html", view=view, rankings=kinerja.RANKINGS, links=_month_links(month, now),
                 trend_svg=_trend_svg(view.trend), public=True)


# ---- JSON -------------------------------------------------------------------------------------------------------

def _json_problem(exc: ValidationError) -> JSONResponse:
    first = next(iter(exc.fields.values()))
    return JSONResponse({"code": "invalid_period", "message": first.id, "message_en": first.en,
                         "details": {k: v.id for k, v in exc.fields.items()}}, status_code=422)


def _office_json(row: kinerja.OfficeRow, *, public: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"rank": row.rank, "office_id": row.office_id, "name": row.name,
                           "region_code": row.region_code, "province": row.province,
                           "kpi": row.summary.as_dict()}
    if not public:
        out["previous_month"] = row.previous.as_dict()
    return out


def _national_json(view: kinerja.NationalMonth, *, public: bool) -> dict[str, Any]:
    return {
        "month": kinerja.month_text(view.month), "ranked_by": view.ranked_by.key,
        "counted_until": view.cutoff.isoformat(), "partial": view.partial, "overdue_as_of": view.as_of.isoformat(),
        "no_data": view.no_data, "rules_changed": view.rules_changed,
        "national": view.national.as_dict(), "national_previous_month": view.national_previous.as_dict(),
        "trend": [{"month": kinerja.month_text(m), "kpi": s.as_dict()} for m, s in view.trend],
        "offices": [_office_json(r, public=public) for r in view.rows],
    }


@router.get("/api/v1/national/kpi", tags=["national"])
def national_json(context: Annotated[ServerContext, Depends(ctx)],
                  month: Annotated[str | None, Query(max_length=20, description="YYYY-MM; default this month")] = None,
                  rank_by: Annotated[str | None, Query(max_length=40)] = None,
                  authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    """Every office's KPIs for a month, ranked, with the previous month and the national trend."""
    auth.check_admin_token(context.settings.national_admin_token, authorization)
    now = context.clock()
    try:
        m, by = kinerja.month_of(month, now), kinerja.ranking(rank_by)
    except ValidationError as exc:
        return _json_problem(exc)
    with context.db.transaction() as session:
        view = kinerja.national_month(session, m, by, now)
    return JSONResponse(_national_json(view, public=False), headers={"Cache-Control": "no-store"})


@router.get("/api/v1/national/kpi/offices/{office_id}", tags=["national"])
def office_json(context: Annotated[ServerContext, Depends(ctx)],
                office_id: Annotated[str, Path(max_length=36, pattern=TOKEN_PATTERN)],
                month: Annotated[str | None, Query(max_length=20)] = None,
                authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    """One office's KPIs for a month by unit and by category, and its trend."""
    auth.check_admin_token(context.settings.national_admin_token, authorization)
    now = context.clock()
    try:
        m = kinerja.month_of(month, now)
    except ValidationError as exc:
        return _json_problem(exc)
    with context.db.transaction() as session:
        view = kinerja.office_month(session, office_id, m, now)
    if view is None:
        raise ApiError(404, "not_found", "Instansi tidak ditemukan.", "Office not found.")
    return JSONResponse({
        "month": kinerja.month_text(view.month), "office_id": view.office_id, "name": view.name,
        "region_code": view.region_code, "counted_until": view.cutoff.isoformat(), "partial": view.partial,
        "kpi": view.summary.as_dict(),
        "units": [{"unit_id": p.key, "name": p.name, "kpi": p.summary.as_dict()} for p in view.units],
        "categories": [{"category_id": p.key, "name": p.name, "kpi": p.summary.as_dict()} for p in view.categories],
        "trend": [{"month": kinerja.month_text(mm), "kpi": s.as_dict()} for mm, s in view.trend],
    }, headers={"Cache-Control": "no-store"})


@router.get("/api/v1/public/kpi", tags=["public"])
def public_json(context: Annotated[ServerContext, Depends(ctx)],
                month: Annotated[str | None, Query(max_length=20)] = None) -> JSONResponse:
    """Open data: every office's KPIs for a month (aggregates only)."""
    now = context.clock()
    try:
        m = kinerja.month_of(month, now)
    except ValidationError as exc:
        return _json_problem(exc)
    with context.db.transaction() as session:
        view = kinerja.national_month(session, m, kinerja.DEFAULT_RANKING, now)
    return JSONResponse(_national_json(view, public=True), headers={"Cache-Control": "public, max-age=300"})

