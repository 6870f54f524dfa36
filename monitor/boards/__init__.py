"""附件3 网民留言办理: messages on the site's boards, and who replied within the working days allowed."""
