class GreetingsController < ApplicationController
  def show
    name = params[:name]
    render html: ("<h1>Hello " + ERB::Util.html_escape(name) + "</h1>").html_safe
  end
end
