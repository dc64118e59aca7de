-- The six national programs of CONTRACT.md section 3. BLT_DD (village-fund cash) is for poor
-- families not on PKH or BPNT (Permendes 6/2020), hence its two exclusions.
INSERT INTO programs (code, name, target_unit, built_in) VALUES
  ('PKH', 'Program Keluarga Harapan', 'FAMILY', true),
  ('BPNT', 'Bantuan Pangan Non Tunai (Sembako)', 'FAMILY', true),
  ('BLT_DD', 'Bantuan Langsung Tunai Dana Desa', 'FAMILY', true),
  ('PBI_JK', 'Penerima Bantuan Iuran Jaminan Kesehatan', 'INDIVIDUAL', true),
  ('PIP', 'Program Indonesia Pintar', 'INDIVIDUAL', true),
  ('RTLH', 'Rehabilitasi Rumah Tidak Layak Huni', 'HOUSEHOLD', true)
ON CONFLICT (code) DO NOTHING;
--> statement-breakpoint
INSERT INTO program_exclusions (program_code, excluded_code) VALUES
  ('BLT_DD', 'PKH'),
  ('BLT_DD', 'BPNT')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The audit trail is append-only for every database user, the service's own included
-- (UU PDP 27/2022): the API offers no way to change it, and neither does SQL.
CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();
