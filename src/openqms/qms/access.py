"""Reading the QMS frame. Every signed-in person may read the organisation, the scope,
the processes, certificates and device families (ISO 13485 4.2.1: the QMS is known to
those who work in it); changing them needs the permissions in registry.py. Each area's
`get_<thing>_for_user` lives here, with the same 404 for missing and forbidden."""
