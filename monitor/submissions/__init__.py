"""附件1 政务信息报送: units' news submissions, attributed by their titles (单位：标题)."""
