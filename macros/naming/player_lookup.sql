{#- player_lookup from a display name (docs/domain.md, player_lookup): accented letters
    become their ASCII base, then lower case, then every character outside [a-z0-9]
    goes. Suffixes (jr, sr, ii, iii) stay, as they are letters. -#}
{% macro player_lookup(name_expression) %}
    {{- return(adapter.dispatch('player_lookup', 'nba_backfill')(name_expression)) -}}
{% endmacro %}

{% macro default__player_lookup(name_expression) -%}
    {{ regex_remove('lower(strip_accents(' ~ name_expression ~ '))', '[^a-z0-9]') }}
{%- endmacro %}

{#- BigQuery: every lower-case Latin letter whose NFKD form is an ASCII letter plus
    accents (U+00C0-U+024F, U+1E00-U+1EFF), mapped to that letter with TRANSLATE.
    Same result as NFKD for Latin names, and it also runs where NORMALIZE does not
    (the BigQuery emulator CI uses). Generated with Python's unicodedata. -#}
{% macro bigquery__player_lookup(name_expression) -%}
    {%- set accented = [
        'àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏő',
        'ŕŗřśŝşšţťũūŭůűųŵŷźżžſơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭ',
        'ȯȱȳḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱ',
        'ṳṵṷṹṻṽṿẁẃẅẇẉẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứ',
        'ừửữựỳỵỷỹ',
    ] | join('') -%}
    {%- set plain = [
        'aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooo',
        'rrrssssttuuuuuuwyzzzsouaiouuuuuaagkoojgnaaaeeiioorruusthaeoo',
        'ooyabbbcdddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrssssstttt',
        'uuuuuvvwwwwwxxyzzzhtwysaaaaaaaaaaaaeeeeeeeeiioooooooooooouuu',
        'uuuuyyyy',
    ] | join('') -%}
    {{ regex_remove(
        "translate(lower(" ~ name_expression ~ "), '" ~ accented ~ "', '"
        ~ plain ~ "')",
        '[^a-z0-9]'
    ) }}
{%- endmacro %}
