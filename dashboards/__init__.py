"""Read-only dashboards: the director's cockpit, the KAM's dashboard and finance's."""
