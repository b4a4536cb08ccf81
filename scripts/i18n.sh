#!/usr/bin/env bash
# `make i18n`: the translation templates (i18n/<module>.pot) exported from a
# throwaway database with the four modules, and each language's .po file
# brought up to date with them (new terms appear untranslated, to translate).
source "$(dirname "$0")/common.sh"

DB=${SERVICE_I18N_DB:-service_i18n_$$}
LANGUAGES=${LANGUAGES:-es pl ru it}
setup_environment
command -v msgmerge >/dev/null || die "msgmerge (GNU gettext) is needed: apt-get install gettext"

WORK=$(mktemp -d)
cleanup() {
    psql_run postgres "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
CONF=$(write_odoo_config "$DB" "$WORK/odoo.conf")
say "Installing $MODULES into the database '$DB'"
$ODOO_BIN -c "$CONF" -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn
for module in ${MODULES//,/ }; do
    pot="$REPO_DIR/$module/i18n/$module.pot"
    mkdir -p "$(dirname "$pot")"
    $ODOO_BIN -c "$CONF" -d "$DB" --modules="$module" --i18n-export="$pot" \
        --stop-after-init --log-level=warn
    for lang in $LANGUAGES; do
        po="$REPO_DIR/$module/i18n/$lang.po"
        if [ -f "$po" ]; then
            msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$pot"
        else
            msginit --no-translator --no-wrap --locale="$lang" --input="$pot" --output-file="$po"
        fi
    done
    say "$module: $(grep -c '^msgid' "$pot") terms"
done
