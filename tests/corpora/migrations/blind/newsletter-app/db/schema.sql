SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: campaigns; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaigns (
    id bigint NOT NULL,
    subject text NOT NULL,
    body_html text NOT NULL,
    open_rate numeric(5,4),
    archived boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    segment_id bigint,
    CONSTRAINT campaigns_open_rate_range CHECK (((open_rate >= (0)::numeric) AND (open_rate <= (1)::numeric)))
);


--
-- Name: deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deliveries (
    id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    subscriber_id bigint NOT NULL,
    delivered_at timestamp with time zone,
    opened_at timestamp with time zone
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying(128) NOT NULL
);


--
-- Name: segments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.segments (
    id bigint NOT NULL,
    name text NOT NULL,
    rules jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT segments_name_not_blank CHECK ((name <> ''::text))
);


--
-- Name: subscribers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscribers (
    id bigint NOT NULL,
    email text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    bounce_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    locale text DEFAULT 'en'::text NOT NULL,
    confirmed_at timestamp with time zone,
    source text NOT NULL
);


--
-- Name: campaigns campaigns_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_pkey PRIMARY KEY (id);


--
-- Name: deliveries sends_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT sends_pkey PRIMARY KEY (id);


--
-- Name: segments segments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT segments_pkey PRIMARY KEY (id);


--
-- Name: subscribers subscribers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribers
    ADD CONSTRAINT subscribers_pkey PRIMARY KEY (id);


--
-- Name: campaigns_segment_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX campaigns_segment_id_idx ON public.campaigns USING btree (segment_id); -- ok: ZDM


--
-- Name: deliveries_subscriber_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deliveries_subscriber_id_idx ON public.deliveries USING btree (subscriber_id); -- ok: ZDM


--
-- Name: segments_name_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX segments_name_key ON public.segments USING btree (name);


--
-- Name: sends_campaign_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sends_campaign_id_idx ON public.deliveries USING btree (campaign_id);


--
-- Name: subscribers_email_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX subscribers_email_key ON public.subscribers USING btree (lower(email));


--
-- Name: subscribers_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscribers_status_idx ON public.subscribers USING btree (status);


--
-- Name: campaigns campaigns_segment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaigns -- ok: ZDM
    ADD CONSTRAINT campaigns_segment_id_fkey FOREIGN KEY (segment_id) REFERENCES public.segments(id);


--
-- Name: deliveries sends_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT sends_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id);


--
-- Name: deliveries sends_subscriber_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT sends_subscriber_id_fkey FOREIGN KEY (subscriber_id) REFERENCES public.subscribers(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20230102093000'),
    ('20230115140000'),
    ('20230201101500'),
    ('20230305120000'),
    ('20230310170000'),
    ('20230420090000'),
    ('20230501100000'),
    ('20230612150000'),
    ('20230613090000');
