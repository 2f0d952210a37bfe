class PingController < ApplicationController
  def show
    host = params[:host]
    system("ping", "-c", "1", host)
    render plain: "sent"
  end
end
