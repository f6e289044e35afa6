"""How volatile each PostgreSQL function is, for judging a column default.

Postgres 11 and later add a column with a non-volatile default without rewriting the table
(the value is computed once); a volatile default (``random()``, ``gen_random_uuid()``,
``clock_timestamp()``, ``nextval()``) is computed per row and rewrites it. ``now()`` and
``CURRENT_TIMESTAMP`` are *stable*: one value per transaction, no rewrite.

The names come from ``pg_proc`` of PostgreSQL 15's ``pg_catalog`` (user-callable functions:
no operator implementations, type input/output or planner support functions), classified
by their most volatile overload, plus the functions of PostgreSQL 16-18 and of the
``uuid-ossp`` and ``pgcrypto`` extensions that migrations use, and the SQL constructs
spelled like functions (``COALESCE``, ``CURRENT_TIMESTAMP``). A name in none of the three
sets is a user-defined or extension function whose volatility cannot be known from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot.tokens import Token, TokenType

from .sql_summary import Volatility
from .sql_tokens import word_of

__all__ = ["IMMUTABLE", "KEYWORD_FUNCTIONS", "STABLE", "VOLATILE", "volatility_of"]

VOLATILE = frozenset(
    """
    amvalidate clock_timestamp current_query currtid2 currval cursor_to_xml cursor_to_xmlschema gen_random_bytes
    gen_random_uuid gen_salt lastval lo_close lo_creat lo_create lo_export lo_from_bytea lo_get lo_import
    lo_lseek lo_lseek64 lo_open lo_put lo_tell lo_tell64 lo_truncate lo_truncate64 lo_unlink loread lowrite
    nextval query_to_xml query_to_xml_and_xmlschema query_to_xmlschema random random_normal set_config setseed
    setval timeofday ts_rewrite ts_stat txid_status uuid_generate_v1 uuid_generate_v1mc uuid_generate_v4 uuidv4
    uuidv7
    """.split()  # noqa: SIM905
)

STABLE = frozenset(
    """
    aclexplode age array_to_json array_to_string col_description concat concat_ws convert convert_from
    convert_to current_catalog current_database current_date current_role current_schema current_schemas
    current_setting current_time current_timestamp current_user database_to_xml database_to_xml_and_xmlschema
    database_to_xmlschema date date_cmp_timestamptz date_part date_trunc enum_first enum_last enum_range extract
    format format_type generate_series get_current_ts_config getdatabaseencoding getpgusername
    has_any_column_privilege has_column_privilege has_database_privilege has_foreign_data_wrapper_privilege
    has_function_privilege has_language_privilege has_parameter_privilege has_schema_privilege
    has_sequence_privilege has_server_privilege has_table_privilege has_tablespace_privilege has_type_privilege
    in_range inet_client_addr inet_client_port inet_server_addr inet_server_port json_build_array
    json_build_object json_populate_record json_populate_recordset json_to_record json_to_recordset
    json_to_tsvector jsonb_agg_finalfn jsonb_build_array jsonb_build_object jsonb_object_agg_finalfn
    jsonb_path_exists_tz jsonb_path_match_tz jsonb_path_query_array_tz jsonb_path_query_first_tz
    jsonb_path_query_tz jsonb_populate_record jsonb_populate_recordset jsonb_to_record jsonb_to_recordset
    jsonb_to_tsvector length localtime localtimestamp make_timestamptz money mxid_age now numeric
    obj_description oidvectortypes overlaps phraseto_tsquery plainto_tsquery quote_literal quote_nullable
    regclass row_security_active row_to_json schema_to_xml schema_to_xml_and_xmlschema schema_to_xmlschema
    session_user shobj_description statement_timestamp system_user table_to_xml table_to_xml_and_xmlschema
    table_to_xmlschema time timestamp timestamp_cmp_timestamptz timestamptz timestamptz_cmp_date
    timestamptz_cmp_timestamp timetz timezone to_char to_date to_json to_jsonb to_number to_regclass
    to_regcollation to_regnamespace to_regoper to_regoperator to_regproc to_regprocedure to_regrole to_regtype
    to_timestamp to_tsquery to_tsvector transaction_timestamp ts_debug ts_headline ts_parse ts_token_type
    txid_current txid_current_if_assigned txid_current_snapshot user version websearch_to_tsquery xml
    xml_is_well_formed
    """.split()  # noqa: SIM905
)

IMMUTABLE = frozenset(
    """
    abbrev abs acldefault acos acosd acosh area array array_agg_array_finalfn array_agg_finalfn array_dims
    array_fill array_larger array_length array_lower array_ndims array_position array_positions array_remove
    array_replace array_smaller array_to_tsvector array_upper ascii asind asinh atan atan2 atan2d atand atanh
    big5_to_euc_tw big5_to_mic big5_to_utf8 bit bit_count bit_length bitcmp bool bool_alltrue bool_anytrue
    booland_statefunc boolor_statefunc bound_box box bpchar bpchar_larger bpchar_smaller bpcharcmp broadcast
    bytea_string_agg_finalfn byteacmp cardinality cash_words cashlarger cashsmaller cast cbrt ceil ceiling
    center char char_length character_length chr cidr circle coalesce cos cosd cosh cot cotd crypt
    cume_dist_final date_cmp_timestamp date_larger date_smaller datemultirange daterange daterange_canonical
    daterange_subdiff decode degrees dense_rank_final dexp diagonal diameter digest div dlog1 dlog10 dround
    dtrunc encode enum_larger enum_smaller euc_cn_to_mic euc_cn_to_utf8 euc_jis_2004_to_shift_jis_2004
    euc_jis_2004_to_utf8 euc_jp_to_mic euc_jp_to_sjis euc_jp_to_utf8 euc_kr_to_mic euc_kr_to_utf8 euc_tw_to_big5
    euc_tw_to_mic euc_tw_to_utf8 exp factorial family float4 float4_accum float4larger float4smaller float8
    float8_accum float8_avg float8_combine float8_corr float8_covar_pop float8_covar_samp float8_regr_accum
    float8_regr_avgx float8_regr_avgy float8_regr_combine float8_regr_intercept float8_regr_r2 float8_regr_slope
    float8_regr_sxx float8_regr_sxy float8_regr_syy float8_stddev_pop float8_stddev_samp float8_var_pop
    float8_var_samp float8larger float8smaller floor gb18030_to_utf8 gbk_to_utf8 gcd generate_subscripts get_bit
    get_byte greatest height hmac host hostmask inet_merge inet_same_family inet_spg_choose inet_spg_config
    initcap int2 int2_avg_accum int2_avg_accum_inv int2_sum int2int4_sum int2larger int2smaller int4
    int4_avg_accum int4_avg_accum_inv int4_avg_combine int4_sum int4inc int4larger int4multirange int4range
    int4range_canonical int4range_subdiff int4smaller int8 int8_avg int8_avg_serialize int8_sum int8dec
    int8dec_any int8inc int8inc_any int8inc_float8_float8 int8larger int8multirange int8range
    int8range_canonical int8range_subdiff int8smaller interval interval_accum interval_accum_inv interval_avg
    interval_combine interval_larger interval_smaller is_normalized isclosed isempty isfinite ishorizontal
    iso8859_1_to_utf8 iso8859_to_utf8 iso_to_koi8r iso_to_mic iso_to_win1251 iso_to_win866 isopen isparallel
    isperp isvertical johab_to_utf8 json_agg_finalfn json_array_elements json_array_elements_text
    json_array_length json_each json_each_text json_object json_object_agg_finalfn json_object_keys
    json_strip_nulls json_typeof jsonb_array_elements jsonb_array_elements_text jsonb_array_length jsonb_each
    jsonb_each_text jsonb_insert jsonb_object jsonb_object_keys jsonb_path_exists jsonb_path_match
    jsonb_path_query jsonb_path_query_array jsonb_path_query_first jsonb_pretty jsonb_set jsonb_set_lax
    jsonb_strip_nulls jsonb_typeof justify_days justify_hours justify_interval koi8r_to_iso koi8r_to_mic
    koi8r_to_utf8 koi8r_to_win1251 koi8r_to_win866 koi8u_to_utf8 latin1_to_mic latin2_to_mic latin2_to_win1250
    latin3_to_mic latin4_to_mic lcm least left like like_escape line ln log log10 lower lower_inc lower_inf lpad
    lseg ltrim macaddr macaddr8 macaddr8_set7bit make_date make_interval make_time make_timestamp makeaclitem
    masklen md5 mic_to_big5 mic_to_euc_cn mic_to_euc_jp mic_to_euc_kr mic_to_euc_tw mic_to_iso mic_to_koi8r
    mic_to_latin1 mic_to_latin2 mic_to_latin3 mic_to_latin4 mic_to_sjis mic_to_win1250 mic_to_win1251
    mic_to_win866 min_scale mod mode_final multirange multirange_agg_finalfn multirange_intersect_agg_transfn
    name nameconcatoid netmask network network_larger network_smaller normalize notlike npoints nullif
    num_nonnulls num_nulls numeric_avg numeric_avg_serialize numeric_div_trunc numeric_exp numeric_inc
    numeric_larger numeric_ln numeric_log numeric_poly_avg numeric_poly_serialize numeric_poly_stddev_pop
    numeric_poly_stddev_samp numeric_poly_sum numeric_poly_var_pop numeric_poly_var_samp numeric_serialize
    numeric_smaller numeric_sqrt numeric_stddev_pop numeric_stddev_samp numeric_sum numeric_var_pop
    numeric_var_samp nummultirange numnode numrange numrange_subdiff octet_length oid oidlarger oidsmaller
    overlay parse_ident path pclose percent_rank_final percentile_cont_float8_final
    percentile_cont_float8_multi_final percentile_cont_interval_final percentile_cont_interval_multi_final
    percentile_disc_final percentile_disc_multi_final pi point polygon popen position pow power prsd_end
    querytree quote_ident radians radius range_agg_finalfn range_intersect_agg_transfn range_merge rank_final
    regexp_count regexp_instr regexp_like regexp_match regexp_matches regexp_replace regexp_split_to_array
    regexp_split_to_table regexp_substr repeat replace reverse right round row rpad rtrim
    satisfies_hash_partition scale set_bit set_byte set_masklen setweight sha224 sha256 sha384 sha512
    shift_jis_2004_to_euc_jis_2004 shift_jis_2004_to_utf8 sign similar_escape similar_to_escape sind sinh
    sjis_to_euc_jp sjis_to_mic sjis_to_utf8 slope split_part sqrt string_agg_finalfn string_to_array
    string_to_table strip strpos substr substring tan tand tanh text text_larger text_smaller textlen tidlarger
    tidsmaller time_larger time_smaller timestamp_cmp_date timestamp_larger timestamp_smaller timestamptz_larger
    timestamptz_smaller timetz_larger timetz_smaller to_ascii to_hex translate trim trim_array trim_scale trunc
    ts_delete ts_filter ts_lexize ts_rank ts_rank_cd tsmultirange tsquery_phrase tsrange tsrange_subdiff
    tstzmultirange tstzrange tstzrange_subdiff tsvector_to_array txid_snapshot_xip txid_snapshot_xmax
    txid_visible_in_snapshot uhc_to_utf8 unistr unnest upper upper_inc upper_inf utf8_to_big5 utf8_to_euc_cn
    utf8_to_euc_jis_2004 utf8_to_euc_jp utf8_to_euc_kr utf8_to_euc_tw utf8_to_gb18030 utf8_to_gbk
    utf8_to_iso8859 utf8_to_iso8859_1 utf8_to_johab utf8_to_koi8r utf8_to_koi8u utf8_to_shift_jis_2004
    utf8_to_sjis utf8_to_uhc uuid_generate_v3 uuid_generate_v5 uuid_nil uuid_ns_dns uuid_ns_oid uuid_ns_url
    uuid_ns_x500 varbit varbitcmp varchar width width_bucket win1250_to_latin2 win1250_to_mic win1251_to_iso
    win1251_to_koi8r win1251_to_mic win1251_to_win866 win866_to_iso win866_to_koi8r win866_to_mic
    win866_to_win1251 win_to_utf8 xid xid8_larger xid8_smaller xid8cmp xml_is_well_formed_content
    xml_is_well_formed_document xmlcomment xmlconcat2 xmlexists xmlvalidate xpath xpath_exists
    """.split()  # noqa: SIM905
)

KEYWORD_FUNCTIONS = frozenset(
    {"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER",
     "CURRENT_ROLE", "SESSION_USER", "USER", "CURRENT_CATALOG", "CURRENT_SCHEMA", "SYSTEM_USER"}
)  # fmt: skip


def volatility_of(tokens: Sequence[Token]) -> Volatility:
    """How volatile an expression is, from the functions it calls (see :mod:`.sql_functions`).

    A word followed by ``(`` is a call, unless it spells a type (after ``::`` or in
    ``CAST(... AS type)``); ``CURRENT_TIMESTAMP`` and its kin are calls without parentheses.
    """
    level = Volatility.IMMUTABLE
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = word_of(token)
        if token.token_type == TokenType.DCOLON or word == "AS":
            index = _after_type(tokens, index + 1)
            continue
        index += 1
        if word is None:
            continue
        called = index < len(tokens) and tokens[index].token_type == TokenType.L_PAREN
        if not called and word not in KEYWORD_FUNCTIONS:
            continue
        name = word.lower()
        if name in VOLATILE:
            return Volatility.VOLATILE
        if name in STABLE:
            found = Volatility.STABLE
        elif name in IMMUTABLE:
            found = Volatility.IMMUTABLE
        else:
            found = Volatility.UNKNOWN
        level = max(level, found, key=_RANK.__getitem__)
    return level


_RANK = {Volatility.IMMUTABLE: 0, Volatility.STABLE: 1, Volatility.UNKNOWN: 2, Volatility.VOLATILE: 3}
_TYPE_PUNCTUATION = frozenset({TokenType.DOT, TokenType.L_BRACKET, TokenType.R_BRACKET, TokenType.IDENTIFIER})


def _after_type(tokens: Sequence[Token], index: int) -> int:
    """The index after a type name (``character varying(10)[]``, ``public.citext``)."""
    while index < len(tokens):
        token = tokens[index]
        if word_of(token) is not None:
            index += 1
            if index < len(tokens) and tokens[index].token_type == TokenType.L_PAREN:
                index = _after_group(tokens, index)
        elif token.token_type in _TYPE_PUNCTUATION:
            index += 1
        else:
            break
    return index


def _after_group(tokens: Sequence[Token], index: int) -> int:
    depth = 0
    while index < len(tokens):
        kind = tokens[index].token_type
        index += 1
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
    return index
