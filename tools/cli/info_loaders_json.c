/* SPDX-License-Identifier: MIT */
/*
 * info_loaders_json.c - the "loaders" member of `info --json`, apart from
 * the gathering in info_loaders.c (which decompresses payloads) so that
 * every describer, and the bundle fuzz target that drives one, links only
 * the JSON writer.
 */
#include "cli/info.h"

void info_loaders_json(struct json *j, const struct info_loaders *l)
{
	if (!l)
		return;
	json_array_begin(j, "loaders");
	for (unsigned i = 0; i < l->n; i++) {
		const struct zp_loader_verdict *v = &l->v[i];

		json_object_begin(j, NULL);
		json_string(j, "loader", v->loader);
		/* boots: true or false when the rule decides, null when it
		 * cannot tell; known says which (added after boots, so a
		 * reader of true/false alone still reads every decided one) */
		if (v->known)
			json_bool(j, "boots", v->boots);
		else
			json_null(j, "boots");
		json_bool(j, "known", v->known);
		json_string(j, "why", v->why);
		json_string(j, "fix", v->fix[0] ? v->fix : NULL);
		json_string(j, "fix_note", v->fix_note[0] ? v->fix_note : NULL);
		json_string(j, "versions", v->versions);
		json_string(j, "matrix_path", v->matrix_path);
		json_string(j, "matrix_machine", v->matrix_machine);
		json_string(j, "unknown", v->unknown);
		json_object_end(j);
	}
	json_array_end(j);
}
