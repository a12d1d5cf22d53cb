"""The files that make the starting site a repository of its own: the deploy workflow, README and .gitignore.

The workflow pins the generator by a full commit SHA (see origin.py: a release is a commit named in
CHANGELOG.md), so upgrading it brings only new program code, never another coalition's content. Every
action is pinned by its commit too, with its version in a comment; tests/test_workflow.py runs zizmor on it.
The site goes to GitHub Pages, or, once the repository variable DEPLOY_HOST is set, to the municipality's own
server instead (rsync over SSH with a pinned host key); tests/test_deploy_server.py runs that job's shell
against a real sshd.
"""

from __future__ import annotations

from ...source.placeholders import placeholder as fill
from .answers import Answers
from .origin import Origin

GITIGNORE = "output/\n.cache/\ngenerator/\n.venv/\n__pycache__/\n"

# The actions the workflow uses, each pinned by the commit of a release (version in the comment). The same
# commits pin the generator's own workflow where it uses the action; each was cross-checked against two
# unrelated public repositories.
ACTIONS = {
    "<checkout>": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2",
    "<setup-python>": "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0",
    "<setup-node>": "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020  # v4.4.0",
    "<upload-pages-artifact>": "actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa  # v3.0.1",
    "<deploy-pages>": "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5",
    "<download-artifact>": "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093  # v4.3.0",
}
REPO_QUESTION = "de GitHub-repository van het programma, zoals organisatie/sitegen"
COMMIT_QUESTION = "de commit van het programma: de regel 'commit:' bij de nieuwste versie in CHANGELOG.md"

# The jobs need nothing from the answers: a plain string, so GitHub's ${{ }} needs no doubled braces.
WORKFLOW_JOBS = """\
jobs:
  build:
    name: Controleren en bouwen
    runs-on: ubuntu-latest
    permissions:
      contents: read  # de site en het programma ophalen, verder niets
    steps:
      - name: De site
        uses: <checkout>
        with:
          persist-credentials: false  # geen stap hoeft te pushen: het token blijft niet op de schijf
      - name: Het programma, vaste versie (GENERATOR_VERSION)
        uses: <checkout>
        with:
          repository: ${{ env.GENERATOR_REPO }}
          ref: ${{ env.GENERATOR_VERSION }}
          path: generator
          persist-credentials: false
      - uses: <setup-python>
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: generator/requirements.txt
      - uses: <setup-node>
        with:
          node-version: "22"
          cache: npm
          cache-dependency-path: generator/package-lock.json
      - name: Python-pakketten
        run: python -m pip install -r generator/requirements.txt
      - name: Webeditor (Decap CMS), precies de versie uit package-lock.json
        working-directory: generator
        run: python tools/npm_tools.py --only decap-cms  # alleen de map dist/, gecontroleerd op package-lock.json
      - name: Controleren
        if: github.event_name == 'pull_request'
        run: python generator/build.py check --site . --format github
      - name: Klaar om te publiceren? (geen INVULLEN, geen voorbeelden, geen voorbeeldzinnen)
        if: github.event_name != 'pull_request'
        run: python generator/build.py check --publish --site . --format github
      - name: Bouwen
        run: python generator/build.py --site . --format github
      - if: github.event_name != 'pull_request'
        uses: <upload-pages-artifact>
        with:
          path: output

  # Een opslag van de webeditor op GitHub schrijft het hele bestand opnieuw (commentaar en volgorde weg), op
  # een eigen tak cms/... Deze job zet in dat pull request alleen de veranderde regels terug in de bestanden
  # zoals ze waren (build.py redactie-netjes) en zet dat als commit op die tak. Alleen voor takken van deze
  # repository zelf: een pull request uit een fork krijgt geen schrijfrecht. Wat de bestanden zeggen, blijft
  # gelijk; de controle van de job hierboven (op de versie van de webeditor) geldt dus ook voor deze commit.
  netjes:
    name: Webeditor netjes (commentaar en volgorde terug)
    if: >-
      github.event_name == 'pull_request' && startsWith(github.head_ref, 'cms/')
      && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: write  # de netjes gemaakte bestanden als commit op de tak van de webeditor zetten
    steps:
      - name: De tak van de webeditor, met de geschiedenis tot de basis
        uses: <checkout>
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          fetch-depth: 0
          persist-credentials: false  # het token gaat alleen mee met de ene push hieronder
      - name: Het programma, vaste versie (GENERATOR_VERSION)
        uses: <checkout>
        with:
          repository: ${{ env.GENERATOR_REPO }}
          ref: ${{ env.GENERATOR_VERSION }}
          path: generator
          persist-credentials: false
      - uses: <setup-python>
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: generator/requirements.txt
      - name: Python-pakketten
        run: python -m pip install -r generator/requirements.txt
      - name: Alleen de veranderde regels
        env:
          BASIS: ${{ github.base_ref }}
        run: python generator/build.py redactie-netjes --site . --basis "origin/$BASIS"
      - name: Terugzetten op de tak van de webeditor
        env:
          TAK: ${{ github.head_ref }}
          # Met het geheim NETJES_TOKEN (docs/redactie.md) start de push een nieuwe run, die de commit controleert.
          TOKEN: ${{ secrets.NETJES_TOKEN || github.token }}
        run: |
<tidy-script>

  deploy:
    name: Publiceren op GitHub Pages
    if: github.event_name != 'pull_request' && vars.DEPLOY_HOST == ''  # niet als de site op de eigen server staat
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write  # de site op GitHub Pages zetten
      id-token: write  # bewijzen dat deze workflow dat mag
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: <deploy-pages>

  # Alleen als de repository-variabele DEPLOY_HOST gezet is; dan niet naar GitHub Pages (zie hierboven).
  # Wat je in GitHub zet en wat de beheerder van de server doet: docs/hosting.md van het programma,
  # "Publiceren op de eigen server via de workflow".
  server:
    name: Publiceren op de eigen server
    if: github.event_name != 'pull_request' && vars.DEPLOY_HOST != ''
    needs: build
    runs-on: ubuntu-latest
    permissions: {}  # niets: de gebouwde site van deze run ophalen mag altijd
    environment: eigen-server  # het geheim DEPLOY_SSH_KEY staat bij deze environment (Settings > Environments)
    steps:
      - name: De gebouwde site (uit de job Controleren en bouwen)
        uses: <download-artifact>
        with:
          name: github-pages
          path: artefact
      - name: Uitpakken
        run: mkdir site && tar -xf artefact/artifact.tar -C site
      - name: Naar de server (rsync over SSH, alleen met de vastgezette host key)
        env:
          DEPLOY_SSH_KEY: ${{ secrets.DEPLOY_SSH_KEY }}
          DEPLOY_KNOWN_HOSTS: ${{ vars.DEPLOY_KNOWN_HOSTS }}
          DEPLOY_HOST: ${{ vars.DEPLOY_HOST }}
          DEPLOY_USER: ${{ vars.DEPLOY_USER }}
          DEPLOY_PATH: ${{ vars.DEPLOY_PATH }}
          DEPLOY_PORT: ${{ vars.DEPLOY_PORT }}
        run: |
<deploy-script>
"""

# The tidy job's last step. Values come in through env: only. A push with the workflow's own token starts no
# new run (GitHub's rule); a push with the optional NETJES_TOKEN does, so a repository that requires status
# checks sees them on the tidied commit. That run finds nothing to tidy, so the job never calls itself twice.
TIDY_SCRIPT = r"""set -euo pipefail
if git diff --quiet; then
  echo "Alles was al netjes."
  exit 0
fi
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git commit -qam "Webeditor netjes: alleen de veranderde regels, commentaar en volgorde terug"
kop="$(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)"
if ! git -c http.extraheader="AUTHORIZATION: basic $kop" push origin "HEAD:refs/heads/$TAK"; then
  echo "::warning::De tak $TAK is intussen weer veranderd (een nieuwe opslag). De run voor die opslag maakt hem netjes."
fi
"""

# The deploy step's shell. Values come in through env: only (a ${{ }} here would be template injection).
# The host key is the one the maintainer pinned in DEPLOY_KNOWN_HOSTS, never one fetched at deploy time;
# rsync's --delay-updates and --delete-delay switch the files over at the end, not one by one.
DEPLOY_SCRIPT = r"""set -euo pipefail
variabelen="Settings > Secrets and variables > Actions, tabblad Variables"
fout=0
if [ -z "${DEPLOY_SSH_KEY:-}" ]; then
  echo "::error::Het geheim DEPLOY_SSH_KEY ontbreekt. Zet de private sleutel die alleen voor het publiceren is gemaakt in GitHub onder Settings > Environments > eigen-server > Environment secrets."
  fout=1
fi
for naam in DEPLOY_HOST DEPLOY_USER DEPLOY_PATH DEPLOY_KNOWN_HOSTS; do
  if [ -z "${!naam:-}" ]; then
    echo "::error::De variabele $naam ontbreekt. Zet hem in GitHub onder $variabelen."
    fout=1
  fi
done
case "${DEPLOY_PATH:-}" in
  "" | /*[!/]*) ;;
  *) echo "::error::DEPLOY_PATH moet een volledige map op de server zijn, zoals /srv/eenzaamheid/output (nu: '$DEPLOY_PATH'). Pas hem aan onder $variabelen."
     fout=1 ;;
esac
poort="${DEPLOY_PORT:-22}"
if ! [[ "$poort" =~ ^[0-9]+$ ]]; then
  echo "::error::DEPLOY_PORT moet een getal zijn, zoals 22 (nu: '$poort'). Pas hem aan onder $variabelen, of haal hem weg."
  fout=1
fi
[ "$fout" -eq 0 ] || exit 1

# De sleutel en de host key alleen in een eigen map (0700, bestanden 0600), die na afloop weg is.
umask 077
geheim="$(mktemp -d "${RUNNER_TEMP:-/tmp}/publiceren.XXXXXX")"
trap 'rm -rf -- "$geheim"' EXIT
printf '%s\n' "$DEPLOY_SSH_KEY" | tr -d '\r' > "$geheim/sleutel"
printf '%s\n' "$DEPLOY_KNOWN_HOSTS" | tr -d '\r' > "$geheim/known_hosts"
chmod 600 "$geheim/sleutel" "$geheim/known_hosts"

# Alleen de vastgezette host key telt (StrictHostKeyChecking=yes, geen andere known_hosts, geen ssh-config).
ssh_opdracht="ssh -F none -p $poort -i '$geheim/sleutel' -o IdentitiesOnly=yes -o BatchMode=yes"
ssh_opdracht+=" -o StrictHostKeyChecking=yes -o UserKnownHostsFile='$geheim/known_hosts'"
ssh_opdracht+=" -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=30"
# --delay-updates en --delete-delay: de nieuwe bestanden komen eerst apart te staan en worden pas aan het
# eind op hun plaats gezet; wat niet meer in de site staat, gaat pas daarna weg. --checksum: een bestand met
# dezelfde grootte en tijd maar andere inhoud (twee bouwen in dezelfde seconde) gaat ook mee.
if ! rsync -rlptz --checksum --delete-delay --delay-updates --chmod=D755,F644 -e "$ssh_opdracht" \
    site/ "$DEPLOY_USER@$DEPLOY_HOST:$DEPLOY_PATH/"; then
  echo "::error::Publiceren op $DEPLOY_HOST is mislukt (de melding van ssh of rsync staat hierboven). Staat er 'Host key verification failed', dan hoort DEPLOY_KNOWN_HOSTS niet bij deze server: vraag de beheerder de juiste regel (docs/hosting.md). Staat er 'Permission denied', dan staat de publieke sleutel niet in authorized_keys van $DEPLOY_USER op de server."
  exit 1
fi
echo "De site staat op $DEPLOY_HOST in $DEPLOY_PATH."
"""


def repository_files(a: Answers, origin: Origin, folder: str) -> dict[str, str]:
    """The repository's own files by path; folder: the site's folder name."""
    return {".github/workflows/site.yml": workflow(origin), ".gitignore": GITIGNORE,
            "README.md": readme(a, origin, folder)}


def pinned_jobs() -> str:
    """The jobs with every action replaced by its pinned commit."""
    jobs = WORKFLOW_JOBS
    for token, shell in (("<deploy-script>\n", DEPLOY_SCRIPT), ("<tidy-script>\n", TIDY_SCRIPT)):
        jobs = jobs.replace(token, "".join(f"          {line}\n" if line else "\n" for line in shell.splitlines()))
    for token, action in ACTIONS.items():
        jobs = jobs.replace(token, action)
    return jobs


def workflow(origin: Origin) -> str:
    """The deploy workflow: check and build on every change, every night and by hand; publish on main."""
    repo = origin.repo or f'"{fill(REPO_QUESTION)}"'
    commit = f"{origin.commit}  # versie {origin.version}" if origin.commit else f'"{fill(COMMIT_QUESTION)}"'
    return f"""\
# Bouwt de site met een vaste versie van het programma en zet hem op GitHub Pages, of op de eigen server
# als de variabele DEPLOY_HOST gezet is (zie docs/hosting.md van het programma).
# - Bij elke wijziging op main, elke nacht (zodat "binnenkort" in de agenda klopt) en met de hand.
#   Eerst controleert 'check --publish' dat er niets onaf is (INVULLEN, voorbeeldactiviteiten,
#   voorbeeldzinnen van 'new'); anders gaat er niets online. Bij een pull request: alleen controleren en bouwen.
# Let op: GitHub zet de nachtelijke bouw uit na 60 dagen zonder wijziging in deze repository (zie README.md).
# Het programma bijwerken: zet bij GENERATOR_VERSION de commit van de nieuwe versie (de regel 'commit:' in
# CHANGELOG.md van het programma). Je haalt dan alleen nieuwe programmacode binnen, nooit de inhoud van een
# andere site.
name: Website

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 4 * * *"
  workflow_dispatch:

permissions: {{}}  # niets, behalve wat een job hieronder zelf vraagt

concurrency:
  group: website-${{{{ github.ref }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

env:
  GENERATOR_REPO: {repo}
  GENERATOR_VERSION: {commit}

""" + pinned_jobs()


README_REST = """\
## Publiceren

Online gaat de site pas als hij af is. Controleer dat met:

```sh
.venv/bin/python generator/build.py check --publish --site {folder}
```

Dat stopt (met een lijst van elke plek) zolang er nog ergens `[INVULLEN: ...]` staat, er een
voorbeeldactiviteit is (`example: true`), of een voorbeeldzin die `new` neerzette. De workflow op GitHub doet
precies deze controle voordat hij de site publiceert. Zet op GitHub onder **Settings > Pages** bij *Source*:
**GitHub Actions**.

Liever op de eigen webserver van de gemeente? Dan zet de workflow de site daar neer (rsync over SSH, met de
vastgezette host key van de server) zodra de variabele `DEPLOY_HOST` gezet is, en slaat hij GitHub Pages over.
Welke variabelen en welk geheim je in GitHub zet (`DEPLOY_HOST`, `DEPLOY_USER`, `DEPLOY_PATH`,
`DEPLOY_KNOWN_HOSTS`, `DEPLOY_SSH_KEY`), en wat de beheerder van de server doet: `docs/hosting.md` van het
programma, "Publiceren op de eigen server via de workflow".

## Let op: de nachtelijke bouw stopt na 60 dagen stilte

De workflow bouwt de site elke nacht opnieuw, zodat "binnenkort" in de agenda klopt en voorbije activiteiten
verdwijnen. **In een openbare repository zet GitHub die nachtelijke bouw uit als er 60 dagen lang niets in de
repository veranderd is.** Je krijgt daar een e-mail over, maar de site blijft dan stilstaan op de dag van de
laatste bouw. Zet hem weer aan onder **Actions > Website > Enable workflow**, of houd de site levend: zet
minstens eens in de zes weken iets nieuws in de agenda of het nieuws.

## Het programma bijwerken

Lees in CHANGELOG.md van het programma wat er veranderd is. Elke versie noemt daar zijn commit (de regel
`commit:`). Zet die commit in `.github/workflows/site.yml` bij `GENERATOR_VERSION`, en lokaal:

```sh
git -C generator fetch && git -C generator checkout NIEUWE-COMMIT
.venv/bin/pip install -r generator/requirements.txt   # altijd opnieuw: nieuwe of andere Python-pakketten
```

Zo krijg je alleen nieuwe programmacode; de inhoud van andere sites komt nooit mee.
"""


def readme(a: Answers, origin: Origin, folder: str) -> str:
    """How to build, preview, publish and upgrade the site, for whoever takes it over; folder: the site's own
    folder name, beside which the generator lives on a computer (docs/hosting.md of the generator)."""
    repo = origin.repo or "ORGANISATIE/PROGRAMMA"
    commit = origin.commit or "COMMIT"
    return f"""\
# Website van Eén tegen eenzaamheid {a.municipality}

Deze map is de site: `site.yaml` (instellingen), `content/` (pagina's, nieuws en `agenda/`, met één bestand
per activiteit) en eventueel `templates/` en `static/` (eigen sjablonen, logo, stylesheet). Het programma dat
de site bouwt staat apart, in een eigen repository ({repo}), met een vaste versie: versie {origin.version},
commit `{commit}` (dezelfde als `GENERATOR_VERSION` in `.github/workflows/site.yml`).

## Voor de redactie

Wie de site bijhoudt, leest [docs/redactie.md](docs/redactie.md): waar alles staat en de commando's
(`make check`, `make serve`, `make nieuw`, `make klaar`, `make site`, `make installeer`) die in deze map werken.

## Bouwen en bekijken

Op je eigen computer staat het programma in de map `generator/` **naast** deze map (niet erin), met één
Python-omgeving `.venv/` ernaast. Vanuit de map boven `{folder}/`:

```sh
git clone https://github.com/{repo}.git generator
git -C generator checkout {commit}
python3 -m venv .venv && .venv/bin/pip install -r generator/requirements.txt
.venv/bin/python generator/build.py check --site {folder}   # wat nog ingevuld moet worden
.venv/bin/python generator/build.py serve --site {folder}   # bekijk de site op http://127.0.0.1:8000
.venv/bin/python generator/build.py new activiteit "Koffieochtend" --site {folder}
```

Overal waar `[INVULLEN: ...]` staat, moet nog iets ingevuld worden. `check` noemt elke plek met bestand en
regel. Op je eigen computer zie je de site zoals hij is, ook als hij nog niet af is. (Op GitHub haalt de
workflow het programma op in `generator/` binnen deze map; daarom staat `generator/` in `.gitignore`.)

""" + README_REST.format(folder=folder)
