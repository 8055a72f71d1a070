"""What people read: documents rendered from the same objects the engine computes."""
